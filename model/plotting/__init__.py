"""Charts for the meeting report: one style, drawn from the files a run or sweep writes."""
