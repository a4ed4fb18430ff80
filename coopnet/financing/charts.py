"""Plotly figures for the financing pages: plain dicts that the templates embed with `json_script`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _


def _json(fig: go.Figure) -> dict[str, Any]:
    fig.update_layout(margin={"l": 60, "r": 20, "t": 40, "b": 40}, height=340, template="plotly_white",
                      legend={"orientation": "h"})
    figure: dict[str, Any] = json.loads(fig.to_json())
    return figure


def schedule_chart(result: dict[str, Any]) -> dict[str, Any]:
    """Subsidy by year (paid and uncapped) against the annual cap, from the check contract's output."""
    years = [str(y["year"]) for y in result["subsidy"]["by_year"]]
    fig = go.Figure()
    fig.add_bar(x=years, y=[float(y["uncapped"]) for y in result["subsidy"]["by_year"]], name=_("Accrued"),
                marker_color="#adb5bd")
    fig.add_bar(x=years, y=[float(y["amount"]) for y in result["subsidy"]["by_year"]], name=_("Subsidy"),
                marker_color="#0d6efd")
    cap = float(result["subsidy"]["annual_cap"])
    fig.add_scatter(x=years, y=[cap] * len(years), mode="lines", name=_("Annual cap"),
                    line={"color": "#dc3545", "dash": "dash"})
    fig.update_layout(barmode="overlay", title=_("Subsidy by year, %(c)s") % {"c": result["subsidy"]["currency"]})
    return _json(fig)


def evaluation_chart(evaluation: Any) -> dict[str, Any]:
    schedule = evaluation.schedule
    return schedule_chart({"subsidy": {
        "currency": schedule.currency,
        "annual_cap": str(schedule.cap),
        "by_year": [{"year": y.year, "amount": str(y.amount), "uncapped": str(y.uncapped)} for y in schedule.years],
    }})


def budget_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    years = [str(r["year"]) for r in rows]
    fig = go.Figure()
    fig.add_bar(x=years, y=[float(r["committed"]) for r in rows], name=_("Committed"), marker_color="#0d6efd")
    fig.add_bar(x=years, y=[float(max(r["remaining"], Decimal(0))) for r in rows], name=_("Remaining"),
                marker_color="#adb5bd")
    fig.update_layout(barmode="stack", title=_("Budget envelopes, RUB"))
    return _json(fig)


def rates_chart(by_country: dict[str, list[Any]]) -> dict[str, Any]:
    fig = go.Figure()
    for country, rows in by_country.items():
        fig.add_scatter(x=[r.date.isoformat() for r in rows], y=[float(r.rate) for r in rows], name=country,
                        mode="lines+markers", line={"shape": "hv"})
    fig.update_layout(title=_("Base rates of the central banks, % a year"))
    return _json(fig)
