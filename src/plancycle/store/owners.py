"""Owners as the plan service names them: a kommunenummer (``"1103"``) or ``fylke-<fylkesnummer>``
(``"fylke-46"``), the owner segment of the API's URLs and the ``owner`` column of the store."""

from __future__ import annotations

import re

from plancycle.errors import InputError, UnknownMunicipalityError
from plancycle.municipalities import (
    TERM_LISTS,
    County,
    Municipality,
    find_county,
    find_municipality,
)

#: An owner segment is short; anything longer is refused unread.
MAX_OWNER = 16
COUNTY_PREFIX = "fylke-"
_MUNICIPALITY = re.compile(r"[0-9]{4}")
_COUNTY = re.compile(r"fylke-([0-9]{2})")


def parse_owner(text: str, election_year: int | None = None, *,
                any_term: bool = False) -> Municipality | County:
    """The municipality of a kommunenummer or the county authority of ``fylke-NN``: of the
    ``election_year``'s term (``1201`` Bergen in 2015, ``4601`` from 2019), today's without it,
    or of any term (``any_term``: a token may be for an owner of an earlier term). An unknown
    number raises :class:`~plancycle.errors.UnknownMunicipalityError` (naming the number valid
    in the asked term), any other text an :class:`~plancycle.errors.InputError` naming the two
    allowed forms."""
    if not isinstance(text, str) or len(text) > MAX_OWNER:
        raise InputError(key="store_owner", value=repr(text)[:40])
    county = _COUNTY.fullmatch(text)
    if not _MUNICIPALITY.fullmatch(text) and county is None:
        raise InputError(key="store_owner", value=repr(text)[:40])
    years: tuple[int | None, ...] = (election_year,)
    if any_term and election_year is None:
        years = (None, *TERM_LISTS)
    for year in years:
        try:
            if county is not None:
                return find_county(county.group(1), year)
            return find_municipality(text, year)
        except UnknownMunicipalityError:
            if year is years[-1]:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def owner_segment(owner: Municipality | County) -> str:
    """The owner segment of ``owner``: ``"1103"`` or ``"fylke-46"``."""
    return f"{COUNTY_PREFIX}{owner.number}" if isinstance(owner, County) else owner.number
