"""Table models over service DTOs: one per module, each with a column enum and a SortRole."""
