//! Swagger 2.0 `in: formData` parameters as a form or multipart body object, and `$ref`'d binary strings as files.

use serde_yaml::Value;

use super::super::document::{get, get_bool, get_str, Place};
use super::super::Importer;
use super::{is_nullable, Kind, Ty};
use crate::spec::{FieldSpec, ObjectSpec, TypeSpec};

impl Importer<'_> {
    /// The body object of an operation's `formData` parameters (at `params`), named after
    /// `hint`: its fields are the parameters, required ones required; in a multipart body a
    /// `type: file` (or `format: binary`) parameter is a `binary` file part.
    pub(in crate::import::openapi) fn form_data_object(
        &mut self,
        params: &[Place],
        hint: &str,
        multipart: bool,
    ) -> String {
        let mut entries = Vec::new();
        let mut required = std::collections::BTreeSet::new();
        let mut file_fields = Vec::new();
        for at in params {
            let param = self.docs.at(at).cloned().unwrap_or(Value::Null);
            let name = get_str(&param, "name").unwrap_or("").to_owned();
            if get_bool(&param, "required") {
                required.insert(name.clone());
            }
            if get_str(&param, "type") == Some("file") {
                file_fields.push(name.clone());
            }
            entries.push((name, at.clone()));
        }
        let name = self.unique_name(hint);
        self.files = multipart;
        let mut fields: Vec<FieldSpec> = self.fields(&name, &entries, &required, 1);
        self.files = false;
        for field in &mut fields {
            if file_fields.contains(&field.name) {
                field.ty = "binary".to_owned();
            }
        }
        let object = ObjectSpec { name: name.clone(), fields, ..ObjectSpec::default() };
        self.define(TypeSpec::Object(object), Kind::Object);
        name
    }

    /// A `$ref` to a `type: string, format: binary` schema inside a form or multipart body: a
    /// file (`binary`), as the same schema written inline is; `None` for any other target.
    pub(super) fn referenced_file(&mut self, target: &Place) -> Option<Ty> {
        if !self.files {
            return None;
        }
        let end = self.docs.follow(target).ok()?;
        let schema = self.docs.at(&end)?;
        let binary = get_str(schema, "type") == Some("string")
            && get_str(schema, "format") == Some("binary")
            && get(schema, "enum").is_none();
        binary.then(|| Ty { expr: "binary".to_owned(), nullable: is_nullable(schema) })
    }
}
