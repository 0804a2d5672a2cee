"""Working as a team: merging coders' projects, agreement, curation into gold."""
