//! Administrator access as the policy language spells it. The audit and "who can" both ask
//! whether a statement makes its holder a full administrator, and must agree on the answer.

use super::evaluate::{Effect, Statement};

/// An Allow of every action on every resource with no condition (`*` or `*:*`). Everything
/// reached by other spellings (`NotAction`, wildcards per service) is not this: the effective
/// permissions' summary, which knows every action, judges those.
pub fn grants_everything(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && !s.not_action
        && !s.not_resource
        && !s.conditional
        && s.actions.iter().any(|a| a == "*" || a == "*:*")
        && s.resources.iter().any(|r| r == "*")
}
