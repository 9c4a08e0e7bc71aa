//! The product catalog page.

use crate::team::Req;
use askama::Template;
use axum::response::Response;

use crate::pages::{busy, page};

struct ProductRow {
    id: String,
    name: String,
    purpose: String,
    status: &'static str,
    date: String,
    note: String,
    former: String,
    docs: String,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    products: Vec<ProductRow>,
}

pub(crate) async fn catalog(Req(s): Req) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let mut products: Vec<ProductRow> = app
        .pack()
        .products
        .iter()
        .map(|p| ProductRow {
            id: p.id.clone(),
            name: p.name.clone(),
            purpose: p.purpose.clone(),
            status: p.status.as_str(),
            date: p.status_date.map(|d| d.to_string()).unwrap_or_default(),
            note: p.status_note.clone(),
            former: p.former_names.join(", "),
            docs: p.docs_url.clone(),
        })
        .collect();
    products.sort_by_key(|p| p.name.to_lowercase());
    page(&CatalogPage { products })
}
