/** How dates and times are written. */
export const dates = {
  "date.months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
  "date.dateTime": "{day} {month} {year}, {time} UTC",
} as const;
