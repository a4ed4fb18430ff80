import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.logic.codes import (
    CodeError,
    hs_ancestors,
    hs_range,
    nace_ancestors,
    nace_level,
    normalise_hs,
    normalise_nace,
)


@pytest.mark.parametrize("raw,expected", [("8704", "8704"), ("8704.21", "870421"), ("8704 21 910 0", "8704219100"),
                                          ("84", "84")])
def test_normalise_hs(raw: str, expected: str) -> None:
    assert normalise_hs(raw) == expected


@pytest.mark.parametrize("raw", ["", "870", "87a4", "12345678901", "8"])
def test_normalise_hs_rejects(raw: str) -> None:
    with pytest.raises(CodeError):
        normalise_hs(raw)


@pytest.mark.parametrize("raw,expected", [("29", "29"), ("29.1", "29.1"), ("2910", "29.10"), ("29,10", "29.10"),
                                          ("29.10.1", "29.10.1")])
def test_normalise_nace(raw: str, expected: str) -> None:
    assert normalise_nace(raw) == expected


@pytest.mark.parametrize("raw", ["", "2", "29.", "A", "29.1.2.3", "29-10"])
def test_normalise_nace_rejects(raw: str) -> None:
    with pytest.raises(CodeError):
        normalise_nace(raw)


def test_hierarchies() -> None:
    assert hs_ancestors("8704210000") == ["87042100", "870421", "8704", "87"]
    assert hs_ancestors("87") == []
    assert nace_ancestors("29.10.1") == ["29.10", "29.1", "29"]
    assert nace_ancestors("29") == []
    assert nace_level("29.10") == 3
    assert hs_range("87") == ("87", "88")
    assert hs_range("8709") == ("8709", "870:")


@given(st.text(max_size=30))
def test_normalisers_never_crash(raw: str) -> None:
    for fn in (normalise_hs, normalise_nace):
        try:
            fn(raw)
        except CodeError:
            pass
