use super::*;

#[test]
fn smoke() {
    let v = validate(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjet","Resource":"*"}}"#, PolicyKind::Managed);
    println!("{v:#?}");
}
