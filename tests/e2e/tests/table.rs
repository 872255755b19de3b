//! The users table in the real window at three window sizes: every column in view without
//! scrolling sideways, long text cut with the full text in a title, and filter selects that
//! keep their width whatever the group names.

use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// A group name of 64 characters, longer than any select should be wide.
const LONG_GROUP: &str = "a-group-whose-name-goes-on-much-longer-than-any-select-is-wide-x";
/// The user in eight groups with long names.
const MANY_GROUPS_USER: &str = "anna.in-eight-groups";

/// ~150 users on top of the seed: every tenth has a 60-character name and a long path,
/// one is in eight long-named groups, and one group's name is 64 characters long.
const CROWD: &str = r#"
groups = ['platform-engineering-team-%d-with-a-long-descriptive-name' % i for i in range(1, 9)]
for g in groups + [LONG_GROUP]:
    iam.create_group(GroupName=g)
iam.create_user(UserName=MANY_GROUPS_USER, Path='/engineering/platform/')
for g in groups + [LONG_GROUP]:
    iam.add_user_to_group(GroupName=g, UserName=MANY_GROUPS_USER)
long_names = []
for i in range(150):
    if i % 10 == 0:
        name = ('automation-svc-%03d-deployment-pipeline-for-production-workloads' % i)[:60]
        path = '/division/platform-engineering/automation/service-accounts/ci-cd/'
        long_names.append(name)
    else:
        name = 'staff.%03d' % i
        path = ['/staff/', '/contractors/london/', '/engineering/'][i % 3]
    iam.create_user(UserName=name, Path=path)
    if i % 7 == 0:
        iam.add_user_to_group(GroupName=groups[i % 8], UserName=name)
print(json.dumps(long_names))
"#;

/// What the page measures of the users view, as JSON (see the assertions for the meaning).
const MEASURE: &str = r#"
const box = document.querySelector('.data-table.users');
const inner = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; };
const b = box.getBoundingClientRect();
// The width `el` would take with no limit: a hidden shrink-to-fit copy next to it.
const natural = (el) => {
  const probe = el.cloneNode(true);
  probe.style.cssText = 'position: absolute; visibility: hidden; width: auto; max-width: none;';
  el.parentNode.appendChild(probe);
  const w = probe.getBoundingClientRect().width;
  probe.remove();
  return w;
};
const contentRight = b.left + box.clientLeft + box.clientWidth;
const heads = Array.from(box.querySelectorAll('thead th')).map((th) => {
  const button = th.querySelector('.sort');
  // Whether the label is cut once its column is sorted, with an arrow after it: the
  // button's natural width (a hidden copy, shrink-to-fit) against the width it has.
  let cut = false;
  let needs = 0;
  if (button) {
    const probe = button.cloneNode(true);
    probe.style.cssText = 'position: absolute; visibility: hidden; width: auto; max-width: none;';
    const arrow = probe.querySelector('.arrow');
    if (arrow && !arrow.textContent) arrow.textContent = '▼';
    th.appendChild(probe);
    const box = probe.getBoundingClientRect();
    // An arrow out of the flow (in the padding) counts where it ends.
    const arrowRight = arrow ? arrow.getBoundingClientRect().right : box.right;
    needs = box.width + Math.max(0, arrowRight - box.right);
    cut = needs > button.getBoundingClientRect().width + 0.5;
    probe.remove();
  }
  return {
    label: th.textContent.replace(/[▲▼]/g, '').trim(),
    right: th.getBoundingClientRect().right,
    width: th.getBoundingClientRect().width,
    needs,
    cut,
  };
});
const created = box.querySelector('thead th:last-child');
const cr = created.getBoundingClientRect();
const atCreated = document.elementFromPoint(cr.left + cr.width / 2, cr.top + cr.height / 2);
const group = document.querySelector('[data-testid="group-filter"]');
// The same select without its fixed width: how wide the long group name would make it.
const groupNatural = natural(group);
const toolbar = document.querySelector('.toolbar');
const tr = toolbar.getBoundingClientRect();
const longCell = box.querySelector(`tr[data-user="${arguments[0]}"] td.name`);
const longButton = longCell && longCell.querySelector('button');
const groupsCell = box.querySelector(`tr[data-user="${arguments[1]}"] td.groups`);
return {
  innerWidth: window.innerWidth,
  pageScrollWidth: document.documentElement.scrollWidth,
  // Dates are short: none is ever cut.
  createdCut: Array.from(box.querySelectorAll('tbody td.created')).filter((td) => td.scrollWidth > td.clientWidth).length,
  createdCells: box.querySelectorAll('tbody td.created').length,
  sidebar: document.querySelector('aside') ? document.querySelector('aside').getBoundingClientRect().width : null,
  box: { clientWidth: box.clientWidth, scrollWidth: box.scrollWidth, contentRight },
  tableWidth: box.querySelector('table').getBoundingClientRect().width,
  heads,
  createdVisible: cr.width > 0 && cr.right <= contentRight + 0.5 && created.contains(atCreated),
  group: { width: group.getBoundingClientRect().width, cssWidth: getComputedStyle(group).width, natural: groupNatural },
  search: document.querySelector('[data-testid="user-search"]').getBoundingClientRect().width,
  pathSelect: document.querySelector('[data-testid="path-filter"]').getBoundingClientRect().width,
  toolbar: {
    scrollWidth: toolbar.scrollWidth,
    clientWidth: toolbar.clientWidth,
    right: tr.right,
    childrenRight: Math.max(...Array.from(toolbar.children).map((c) => c.getBoundingClientRect().right)),
    rows: new Set(Array.from(toolbar.children).map((c) => { const r = c.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); })).size,
  },
  longName: longCell
    ? { title: longCell.getAttribute('title'), text: longButton.textContent, cut: natural(longButton) > longButton.getBoundingClientRect().width + 0.5, width: inner(longCell).width }
    : null,
  groupsCell: groupsCell
    ? { title: groupsCell.getAttribute('title'), cut: groupsCell.scrollWidth > groupsCell.clientWidth }
    : null,
};
"#;

fn measure(s: &AppWindow, long_name: &str) -> Value {
    let script = format!(
        "return (function() {{ {MEASURE} }}).apply(null, [{}, {}])",
        Value::from(long_name),
        Value::from(MANY_GROUPS_USER)
    );
    s.execute(&script)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn the_users_table_fits_the_window_at_1024_1280_and_1920_with_fixed_width_filters() {
    let script = CROWD
        .replace("LONG_GROUP", &format!("{LONG_GROUP:?}"))
        .replace("MANY_GROUPS_USER", &format!("{MANY_GROUPS_USER:?}"));
    let mut long_names: Vec<String> = Vec::new();
    let app = SeededApp::start("913000000001", "acme", |moto| {
        long_names = serde_json::from_value(moto.boto3(&script)).expect("the long names");
    });
    assert_eq!(long_names.len(), 15);
    assert!(long_names.iter().all(|n| n.len() == 60), "{long_names:?}");
    // The first long name in name order is on the table's first page.
    let long_name = long_names.iter().min().unwrap().clone();
    let s = &app.window;
    let shots = screenshot_dir();
    s.wait_for("[data-testid='tab-users']", WAIT);

    let mut filter_widths = Vec::new();
    for (n, (width, height)) in [(1024u32, 768u32), (1280, 800), (1920, 1080)].into_iter().enumerate() {
        let viewport = s.set_window_size(width, height);
        assert_eq!(viewport.0, u64::from(width), "the page is {viewport:?} wide after resizing to {width}×{height}");
        s.show_users();
        s.wait_until("the users table's rows", WAIT, |s| {
            s.find_all(&format!("tbody tr[data-user='{MANY_GROUPS_USER}']")).len() == 1
                && s.find_all(&format!("tbody tr[data-user='{long_name}']")).len() == 1
        });
        let m = measure(s, &long_name);
        eprintln!("{width}×{height}: {m:#}");
        s.screenshot(&shots.join(format!("{}-users-{width}.png", 90 + n)));

        // No sideways scrolling, neither of the table nor of the page.
        let client = num(&m["box"]["clientWidth"]);
        assert!(num(&m["box"]["scrollWidth"]) <= client, "{width}: the table scrolls sideways: {}", m["box"]);
        assert!(num(&m["pageScrollWidth"]) <= f64::from(width), "{width}: the page scrolls sideways");
        // Every header cell ends inside the table's box, and no header label is cut.
        let right = num(&m["box"]["contentRight"]);
        let heads = m["heads"].as_array().unwrap();
        assert_eq!(heads.len(), 9);
        for h in heads {
            assert!(
                num(&h["right"]) <= right + 0.5,
                "{width}: header {} ends at {} past {right}",
                h["label"],
                h["right"]
            );
            assert_eq!(h["cut"], false, "{width}: header {} is cut", h["label"]);
        }
        assert_eq!(heads[8]["label"], "Created");
        assert_eq!(m["createdVisible"], true, "{width}: the Created header is not in view");
        assert!(num(&m["createdCells"]) > 10.0 && num(&m["createdCut"]) == 0.0, "{width}: dates are cut: {m}");

        // The group select keeps its CSS width, narrower than its longest option would make it.
        let group = num(&m["group"]["width"]);
        assert_eq!(m["group"]["cssWidth"], format!("{}px", group.round()), "{width}: {}", m["group"]);
        assert!(num(&m["group"]["natural"]) > group + 100.0, "the long group name would widen it: {}", m["group"]);
        filter_widths.push((group, num(&m["search"]), num(&m["pathSelect"])));
        // The toolbar wraps rather than overflowing.
        assert!(num(&m["toolbar"]["childrenRight"]) <= num(&m["toolbar"]["right"]) + 0.5, "{width}: {}", m["toolbar"]);
        assert!(num(&m["toolbar"]["scrollWidth"]) <= num(&m["toolbar"]["clientWidth"]), "{width}: {}", m["toolbar"]);

        // The long name and the nine groups (eight long names and the 64-character one) are
        // in their cells' titles, whole.
        assert_eq!(m["longName"]["title"], long_name.as_str());
        assert_eq!(m["longName"]["text"], long_name.as_str());
        let groups_title = m["groupsCell"]["title"].as_str().unwrap_or_default();
        assert_eq!(groups_title.split(", ").count(), 9, "{groups_title}");
        assert!(groups_title.contains(LONG_GROUP), "{groups_title}");
        if width < 1920 {
            assert_eq!(m["longName"]["cut"], true, "{width}: the 60-character name is cut with an ellipsis");
        }
        assert_eq!(m["groupsCell"]["cut"], true, "{width}: nine long group names are cut");
    }
    // The filters are as wide at 1024 px as at 1920 px.
    assert!(filter_widths.windows(2).all(|w| w[0] == w[1]), "{filter_widths:?}");
    app.close();
}
