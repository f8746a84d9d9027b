//! Reading a paragraph's text: tokens, cues, shape, the hashed features the text stage
//! scores, fingerprints for repetition, and the pieces of glued paragraphs. Nothing here
//! knows about models.

pub(crate) mod cues;
pub(crate) mod features;
pub(crate) mod fingerprint;
pub(crate) mod lanes;
pub(crate) mod paragraphs;
pub(crate) mod pieces;
pub(crate) mod shape;
pub(crate) mod tokenize;
