//! The IAM policy language, with no I/O: documents as AWS hands them out (`document`), the
//! catalogue of AWS's services, actions and condition keys (`catalogue`), the validator
//! (`validate`) that the editor runs as you type and every create/put call runs before AWS
//! sees a document, and what makes a policy's holder an administrator (`admin`).

pub mod admin;
pub mod catalogue;
pub mod document;
pub mod evaluate;
mod json;
mod position;
pub mod validate;
