//! Swagger 2.0 `in: formData` parameters → a form (`application/x-www-form-urlencoded`) or multipart body.

use super::super::bodies::{media, Media};
use super::super::document::{get_bool, get_str, Place};
use super::super::Importer;
use super::Unmappable;
use crate::spec::BodySpec;

impl Importer<'_> {
    /// The body the `formData` parameters at `params` of the operation at `place` make: multipart
    /// when the operation consumes `multipart/form-data` or a parameter is a `type: file`, else a
    /// form; required when one of its fields is.
    pub(super) fn form_body(
        &mut self,
        place: &Place,
        params: &[Place],
        camel: &str,
    ) -> Result<Option<BodySpec>, Unmappable> {
        let consumes = self.consumes(&place.child("parameters"));
        let values: Vec<_> = params.iter().filter_map(|at| self.docs.at(at).cloned()).collect();
        let has_file = values.iter().any(|param| get_str(param, "type") == Some("file"));
        let multipart = has_file || consumes.iter().any(|offered| media(offered) == Media::Multipart);
        let form = consumes.iter().any(|offered| media(offered) == Media::Form);
        if !consumes.is_empty() && !multipart && !form {
            let reason = format!(
                "`formData` parameters with `consumes: {}` are sent as `application/x-www-form-urlencoded`",
                consumes.join(", ")
            );
            self.skip(&place.child("consumes"), "form body", reason);
        }
        let ty = self.form_data_object(params, &format!("{camel} Body"), multipart);
        let content_type = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
        Ok(Some(BodySpec {
            ty,
            content_type: content_type.to_owned(),
            required: values.iter().any(|param| get_bool(param, "required")),
            description: None,
            origin: None,
            inferred: Vec::new(),
        }))
    }
}
