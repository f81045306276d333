//! The built-in reference data (`data/reference.jsonl`): the OSCE's fields of
//! work, participating States and Partners, structure, chairpersonships, and
//! the press release the project was founded on, in the interchange format.

pub const REFERENCE_DATA: &str = include_str!("../../data/reference.jsonl");
