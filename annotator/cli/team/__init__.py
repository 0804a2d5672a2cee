"""Commands for a team's work: merge coders' projects, measure agreement, curate into gold."""
