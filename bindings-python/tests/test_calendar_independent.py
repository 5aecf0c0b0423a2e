"""The shipped holiday calendar against an independent source of the State Council
schedules (the PyPI package ``chinese-calendar``), day by day, 2020-2026."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]

import yeweihui


def test_every_day_2020_to_2026_agrees_with_chinese_calendar() -> None:
    mismatches = []
    day = date(2020, 1, 1)
    while day <= date(2026, 12, 31):
        # a one-working-day period from the previous day ends on `day` exactly when `day` is a working day
        due = yeweihui.deadline(day - timedelta(days=1), working_days=1).due if day > date(2020, 1, 1) else None
        ours_working = due == day if due is not None else chinese_calendar.is_workday(day)
        if ours_working != chinese_calendar.is_workday(day):
            mismatches.append(day.isoformat())
        day += timedelta(days=1)
    assert mismatches == []
