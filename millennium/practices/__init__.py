"""The good-practice library: municipalities' stories of what worked, tagged with goals, targets and key figures,
drafted by an editor and published by another person (an approver), searchable in Swedish."""
