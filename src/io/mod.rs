//! Content in and out: the interchange format, import, export, the corpus
//! generator, HTML sanitising and the built-in reference data.

mod duplicates;
pub mod export;
pub mod format;
pub mod generate;
pub mod import;
pub mod reference;
pub mod sanitize;
