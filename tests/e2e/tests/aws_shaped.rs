//! The window against an endpoint shaped like AWS (testkit's front for moto): every listing
//! paged as AWS pages it and 50 ms on each call throughout; then a new user that AWS does not
//! show for 4 seconds, and an offboarding while AWS throttles. moto alone does none of it.

use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use gatehouse_testkit::Behaviour;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const LATENCY: Duration = Duration::from_millis(50);

fn shown_users(s: &AppWindow) -> Vec<String> {
    s.attributes_of_all("tbody tr[data-user]", "data-user")
}

#[test]
fn adding_a_user_while_aws_lags_and_offboarding_while_it_throttles() {
    let app = SeededApp::start_behind_front(
        "334000000001",
        "globex",
        |moto| {
            moto.boto3(
                "for i in range(1, 7):\n\
                 \x20   n = f'contractor{i}'\n\
                 \x20   iam.create_user(UserName=n)\n\
                 \x20   iam.add_user_to_group(GroupName='developers', UserName=n)\n\
                 \x20   iam.create_access_key(UserName=n)\n\
                 print('{}')",
            );
        },
        Behaviour { latency: LATENCY, ..Behaviour::default() },
    );
    let (s, moto, front) = (&app.window, &app.moto, app.front.as_ref().expect("started behind the front"));
    let shots = screenshot_dir();

    s.show_users();
    s.wait_until("the seeded users", WAIT, |s| shown_users(s).contains(&"contractor6".to_string()));

    // A new user, a new group and an existing one, while AWS takes 4 s to show what is new:
    // the wizard waits for them instead of failing, and the window shows the user at once.
    front.set(Behaviour { latency: LATENCY, consistency: Duration::from_secs(4), ..Behaviour::default() });
    s.click_on("[data-testid='add-user']");
    s.fill("[data-testid='new-user-name']", "ec.newhire");
    s.click_on("[data-testid='wizard-next']");
    s.click_on("input[data-group='developers']");
    s.fill("[data-testid='new-group-name']", "onboarding");
    s.click_on("[data-testid='add-new-group']");
    s.click_on("[data-testid='wizard-next']");
    s.wait_until("the review", WAIT, |s| s.body_text().contains("onboarding (created now)"));
    s.click_on("[data-testid='wizard-create']");
    s.wait_until("the new user's page with both groups", WAIT, |s| {
        s.find_all("[data-testid='user-panel'] [data-group='developers']").len() == 1
            && s.find_all("[data-testid='user-panel'] [data-group='onboarding']").len() == 1
    });
    assert!(s.find_all("[role='alert']").is_empty(), "no error: {}", s.body_text());
    assert!(front.stats().hidden > 0, "the front did hide the new user and group");
    s.click_on("[data-testid='user-panel'] .close");
    s.wait_until("the new user in the table", WAIT, |s| shown_users(s).contains(&"ec.newhire".to_string()));
    s.screenshot(&shots.join("93-aws-lag-new-user.png"));
    let made = moto.boto3(
        "print(json.dumps(sorted(g['GroupName'] for g in iam.list_groups_for_user(UserName='ec.newhire')['Groups'])))",
    );
    assert_eq!(made, json!(["developers", "onboarding"]));

    // Six contractors offboarded at once while AWS throttles: the progress says so, and the
    // deletion finishes.
    front.set(Behaviour { latency: LATENCY, throttle: 4.0, ..Behaviour::default() });
    for i in 1..=6 {
        s.click_on(&format!("input[aria-label='Select contractor{i}']"));
    }
    s.click_on("[data-testid='delete-selected']");
    s.wait_until("the plan for six users", WAIT, |s| {
        s.body_text().contains("Remove contractor6 from group developers")
    });
    s.fill("[data-testid='confirm-delete-input']", "6");
    s.click_on("[data-testid='confirm-delete']");
    s.wait_for("[data-testid='throttled']", Duration::from_secs(60));
    s.screenshot(&shots.join("94-throttled-offboarding.png"));
    s.wait_for("[data-testid='deletion-done']", Duration::from_secs(180));
    assert!(front.stats().throttled > 0);
    s.click_on("[data-testid='deletion-close']");
    front.set(Behaviour { latency: LATENCY, ..Behaviour::default() });
    let left = moto.boto3("print(json.dumps([u['UserName'] for u in iam.list_users()['Users'] if u['UserName'].startswith('contractor')]))");
    assert_eq!(left, json!([]), "every contractor is gone");
    s.wait_until("the table without them", WAIT, |s| !shown_users(s).iter().any(|u| u.starts_with("contractor")));
    app.close();
}
