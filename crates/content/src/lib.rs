//! The product's knowledge (prompts, rubrics, follow-up banks), written as files in
//! `content/`, embedded at build time and validated on load. Errors name the file and line.

mod error;
mod frontmatter;
mod model;

pub use error::ContentError;
pub use model::{Concept, Content, Prompt, Rubric, RubricDimension};
