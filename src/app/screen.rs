//! The screen stack: the pod table at the bottom, lists and drill-downs pushed over it; esc pops
//! back to the screen below with its selection and scroll as they were.

use crate::app::order::Filter;
use crate::app::resource_view::ResourceView;
use crate::app::scope::PodScope;
use crate::config::keymap::Section;
use crate::kube::pods::PodKey;

/// One screen of the stack (`State::stack`, the last one shown).
#[derive(Clone, Debug)]
pub enum Screen {
    /// The pod table. Its live view is in `State`; this holds it while another screen covers it.
    Pods(PodView),
    /// A list of another kind.
    Resources(Box<ResourceView>),
}

impl Screen {
    /// The keymap section that resolves keys on this screen.
    pub fn section(&self) -> Section {
        match self {
            Screen::Pods(_) => Section::Pods,
            Screen::Resources(_) => Section::Resources,
        }
    }
}

/// A pod table's view, kept while it is covered and put back in `State` when it is on top again.
#[derive(Clone, Debug, Default)]
pub struct PodView {
    /// The restriction before the filter (`None`: every watched pod).
    pub scope: Option<PodScope>,
    /// The user's filter.
    pub filter: Option<Filter>,
    /// Key of the selected pod.
    pub selected_key: Option<PodKey>,
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first visible row.
    pub offset: usize,
}

impl PodView {
    /// A fresh view of the pods in `scope`.
    pub fn scoped(scope: PodScope) -> PodView {
        PodView {
            scope: Some(scope),
            ..PodView::default()
        }
    }
}
