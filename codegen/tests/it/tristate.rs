//! Which fields become tri-state (`Nullable<T>`): optional and nullable ones of a REST service;
//! a SOAP service's stay an `Option`, which its XML writer leaves out when `None`.

use codegen::model::{Field, Model, TypeDef};

use crate::common::{self, workspace};

fn field<'a>(model: &'a Model, service: &str, object: &str, name: &str) -> &'a Field {
    let service = model.services.iter().find(|s| s.module.unraw() == service).expect("the service");
    service
        .types
        .iter()
        .find_map(|def| match def {
            TypeDef::Object(o) if o.wire_name == object => o.fields.iter().find(|f| f.wire_name == name),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{object}.{name}"))
}

#[test]
fn optional_nullable_fields_are_tri_state_in_rest_only() {
    let dir = common::TempDir::new("tristate-lowering");
    let fixtures = workspace().join("codegen/tests/fixtures");
    for file in ["crate.yaml", "tristate.yaml"] {
        std::fs::copy(fixtures.join(file), dir.path().join(file)).unwrap();
    }
    // The SOAP fixture with `Since` optional and nullable instead of nillable.
    let soap = std::fs::read_to_string(fixtures.join("soap.yaml")).unwrap();
    let changed =
        soap.replace("{ name: Since, type: date, nillable: true }", "{ name: Since, type: date, nullable: true }");
    assert_ne!(soap, changed, "the SOAP fixture still has its `Since` field");
    std::fs::write(dir.path().join("soap.yaml"), changed).unwrap();

    let model = common::lower_dir(dir.path(), "tristate-lowering");

    let nickname = field(&model, "tristate", "ProfilePatch", "nickname");
    assert!(nickname.tristate && nickname.optional && nickname.skip_if_none);
    // Required and nullable, or optional and not nullable: an `Option`.
    assert!(!field(&model, "tristate", "Profile", "bio").tristate);
    assert!(!field(&model, "tristate", "Profile", "email").tristate);
    let since = field(&model, "soap", "FindRq", "Since");
    assert!(since.optional && !since.tristate);

    let files = codegen::generate_dir(dir.path(), "tristate-lowering").unwrap_or_else(|error| panic!("{error}"));
    let types = |path: &str| &files.iter().find(|file| file.path == path).expect(path).contents;
    assert!(types("src/soap/types.rs").contains("pub since: ::std::option::Option<crate::Date>"));
    assert!(types("src/tristate/types.rs").contains("pub nickname: crate::Nullable<::std::string::String>"));
}
