"""The files readers subscribe to: ``call.ics`` (the timetable, for calendars; ``icalendar``) and
``feed.xml`` (the 更新公告 as an Atom feed; ``feedgen``). Both are made from the published guide and
the build date only, so two builds of the same commit give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar, Event

from .call import BEIJING, Milestone, datetime_cn
from .guide import PublishedGuide
from .site import CALENDAR, FEED, HOME, UPDATES, address, topic_path

REMINDER = dt.timedelta(days=-1)  # calendars remind a day before every deadline


def _uid(guide: PublishedGuide, m: Milestone) -> str:
    """Stable across builds and edits of the time: the call's year and the milestone's kind (or name)."""
    host = urlsplit(guide.call.site_url).hostname or "localhost"
    key = m.kind if m.kind != "other" else hashlib.sha1(m.name.strip().encode()).hexdigest()[:12]
    return f"callguide-{guide.call.year}-{key}@{host}"


def calendar_ics(guide: PublishedGuide, built: dt.datetime, directory_urls: bool = False) -> bytes:
    """One event per milestone, in Asia/Shanghai time with its VTIMEZONE; DTSTAMP is the build date."""
    call = guide.call
    cal = Calendar()
    cal.add("prodid", f"-//{call.issuer}//{call.short_title}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", call.title)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    home = address(call.site_url, HOME, directory_urls)
    for m in call.timetable:
        event = Event()
        event.add("uid", _uid(guide, m))
        event.add("dtstamp", built.astimezone(dt.UTC))
        event.add("dtstart", m.at.astimezone(BEIJING))
        event.add("summary", f"{m.name}（{call.short_title}）")
        event.add(
            "description",
            f"{call.title}：{m.name}，{datetime_cn(m.at)}（北京时间）。指南全文与专题：{home}",
        )
        event.add("url", home)
        event.add("transp", "TRANSPARENT")
        if m.kind != "opens":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"明天 {m.at.astimezone(BEIJING):%H:%M}：{m.name}")
            alarm.add("trigger", REMINDER)
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=BEIJING)


def atom_feed(guide: PublishedGuide, directory_urls: bool = False) -> bytes:
    """The 更新公告 as Atom: one entry per revision of a topic, newest first; stable entry ids."""
    call = guide.call
    updates_url = address(call.site_url, UPDATES, directory_urls)
    fg = FeedGenerator()
    fg.id(updates_url)
    fg.title(f"{call.title} · 更新公告")
    fg.subtitle(f"{call.issuer}发布的指南在发布（{call.publish_date.isoformat()}）后的修订与撤回")
    fg.author({"name": call.issuer})
    fg.link(href=updates_url, rel="alternate", type="text/html")
    fg.link(href=address(call.site_url, FEED), rel="self", type="application/atom+xml")
    fg.language("zh-CN")
    entries = guide.updates
    fg.updated(_midnight(entries[0].revision.date if entries else call.publish_date))
    for u in entries:
        r, topic = u.revision, u.topic
        entry = fg.add_entry(order="append")
        entry.id(f"{updates_url}#{r.date.isoformat()}-{topic.slug}")
        parts = f"（{'、'.join(r.parts)}）" if r.parts else ""
        entry.title(f"{topic.number}. {topic.title}：{r.label}{parts}")
        entry.link(
            href=address(call.site_url, topic_path(topic), directory_urls), rel="alternate", type="text/html"
        )
        entry.updated(_midnight(r.date))
        entry.published(_midnight(r.date))
        entry.summary(f"{r.date_text}{r.label}{parts}。{r.note or ''}".rstrip())
    return fg.atom_str(pretty=True)


def write_feeds(
    guide: PublishedGuide, site_dir: Path, built: dt.datetime, directory_urls: bool = False
) -> list[Path]:
    ics, feed = site_dir / CALENDAR, site_dir / FEED
    ics.write_bytes(calendar_ics(guide, built, directory_urls))
    feed.write_bytes(atom_feed(guide, directory_urls))
    return [ics, feed]
