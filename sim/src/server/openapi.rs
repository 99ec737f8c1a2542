//! OpenAPI documents (filled in once kubectl's needs are known).
use super::Body;
use hyper::Response;

pub fn handle(_path: &str, _query: Option<&str>) -> Option<Response<Body>> {
    None
}
