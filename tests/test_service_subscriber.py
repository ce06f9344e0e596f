"""Updates reach subscribers: after each fact posted to the API (including a phase opened then
closed and a replaced fact) the feed parses in ``icalendar`` and in the strict ``ical``, has each
UID once, and a subscriber keyed by UID takes every event that changed (higher SEQUENCE) and
keeps every other (SEQUENCE unchanged): the history is replayed from the database alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from fastapi.testclient import TestClient
from ical.calendar_stream import IcsCalendarStream

from plancycle.service import ServiceConfig, create_app

UTC = dt.UTC
FEED = "/feeds/1103.ics?election=2027&lang=en"
FACTS = "/api/v1/terms/1103/2027/facts"
ADOPTED = "k1103-t2027-planstrategi.adopted@plancycle.no"
CONSULTATION = "k1103-t2027-planstrategi.consultation@plancycle.no"
STEPS: list[tuple[dt.datetime, dict[str, Any]]] = [
    (dt.datetime(2027, 10, 20, 8, tzinfo=UTC),
     {"milestone": "election.constituent_meeting", "date": "2027-10-26"}),
    (dt.datetime(2027, 12, 17, 8, tzinfo=UTC),
     {"milestone": "planstrategi.consultation", "date": "2027-12-16"}),
    (dt.datetime(2028, 2, 4, 8, tzinfo=UTC),
     {"milestone": "planstrategi.consultation", "date": "2027-12-16", "end": "2028-02-03"}),
    (dt.datetime(2028, 3, 10, 8, tzinfo=UTC),
     {"milestone": "planstrategi.adopted", "date": "2028-03-09"}),
    (dt.datetime(2028, 3, 20, 8, tzinfo=UTC),
     {"milestone": "planstrategi.adopted", "date": "2028-03-16", "replace": True}),
]
CONTENT = ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "STATUS")


def events(body: bytes) -> dict[str, dict[str, Any]]:
    """Each event by UID (once: a UID twice fails), from icalendar; strict ical must parse it."""
    IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in out, uid
        out[uid] = {"SEQUENCE": int(event.get("SEQUENCE", 0)),
                    "DTSTAMP": event.decoded("DTSTAMP"), "start": event.decoded("DTSTART"),
                    **{name: str(event.get(name)) for name in CONTENT}}
    return out


def test_a_uid_keyed_subscriber_sees_each_moved_event_once(sqlite_store: Any) -> None:
    clock = [STEPS[0][0]]
    app = create_app(ServiceConfig(clock=lambda: clock[0]), sqlite_store)
    token, _ = sqlite_store.create_token("municipality", "1103", now=clock[0])
    subscriber: dict[str, dict[str, Any]] = {}
    with TestClient(app) as client:
        subscriber = events(client.get(FEED).content)
        changed_per_step = []
        for moment, fact in STEPS:
            clock[0] = moment
            response = client.post(FACTS, json=fact, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 201, response.text
            feed = events(client.get(FEED).content)
            assert set(feed) == set(subscriber)
            changed = set()
            for uid, event in feed.items():
                old = subscriber[uid]
                moved = any(event[name] != old[name] for name in CONTENT)
                if moved:
                    assert event["SEQUENCE"] > old["SEQUENCE"], (uid, fact)
                    assert event["DTSTAMP"] >= moment
                    changed.add(uid)
                else:
                    assert event["SEQUENCE"] == old["SEQUENCE"], (uid, fact)
                subscriber[uid] = event  # a subscriber takes the higher SEQUENCE
            changed_per_step.append(changed)
    assert all(changed_per_step)
    assert CONSULTATION in changed_per_step[1] and CONSULTATION in changed_per_step[2]
    assert ADOPTED in changed_per_step[3] and ADOPTED in changed_per_step[4]
    assert subscriber[ADOPTED]["start"] == dt.date(2028, 3, 16)
    assert subscriber[ADOPTED]["SUMMARY"].startswith("✓ ")
    assert len(sqlite_store.history("1103", 2027)) == 5  # the replaced rows are kept
