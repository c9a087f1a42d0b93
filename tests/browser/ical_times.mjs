// What ical.js (the parser of Thunderbird and many web calendars) reads from
// an .ics file: each VEVENT's summary and URL with its start and end as UTC
// seconds, as JSON. Used by tests/test_calendar_zones.py: node ical_times.mjs FILE
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    summary: event.summary,
    url: vevent.getFirstPropertyValue("url"),
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
  };
});
process.stdout.write(JSON.stringify(events));
