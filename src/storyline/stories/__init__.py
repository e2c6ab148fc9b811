"""Stories: grouping articles that report one real-world event."""
