use codegen::import::{self, Document, Facts};
#[test]
fn show() {
    let path = std::env::var("DOC").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let format = import::format(&std::env::var("FMT").unwrap()).unwrap();
    let imported = format.import(&[Document::new(path, text)], &Facts::none(), &std::env::var("SVC").unwrap());
    println!("{}", import::render_yaml::render(&imported.spec, "# x\n"));
    println!("{}", imported.report.render(import::Counts::of(&imported.spec)));
    println!("{}", imported.problems);
}
