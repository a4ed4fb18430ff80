"""coopnet: an open platform for industrial cooperation in the Eurasian Economic Union."""
