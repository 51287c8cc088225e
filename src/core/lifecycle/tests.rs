//! Every transition and every refusal of the lifecycle, on plain values with a fake clock.

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::core::clock::{Clock, ManualClock};
use crate::core::session::ActivityType;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap()
}

fn session(state: SessionState) -> Session {
    let now = t0();
    Session {
        id: Uuid::from_u128(1),
        group_id: None,
        created_by: Uuid::from_u128(2),
        created_by_name: "uma".to_owned(),
        created_by_display_name: "Uma".to_owned(),
        created_from: None,
        activity_id: Uuid::from_u128(3),
        activity_name: "Linux Admin".to_owned(),
        activity_type: ActivityType::Interactive,
        platform: "Linux".to_owned(),
        resource_id: Uuid::from_u128(4),
        resource_name: "web01".to_owned(),
        resource_display_name: None,
        policy_id: Uuid::from_u128(5),
        policy_name: "Ops".to_owned(),
        extension_allowed: true,
        login_account_name: Some("uma".to_owned()),
        state,
        locked: false,
        lock_title: None,
        lock_message: None,
        scheduled_start: now,
        actual_start: matches!(state, Available | LoggedIn | Canceling | RevokeFailed)
            .then_some(now),
        scheduled_end: now + Duration::hours(1),
        actual_end: None,
        login_at: None,
        cancelled_by: None,
        cancelled_by_name: None,
        note: None,
        ticket: None,
        custom_fields: None,
        extension_count: 0,
        extension_minutes: 0,
        approval_deadline: None,
        pre_actions_done: 0,
        post_actions_done: 0,
        failure_reason: None,
        status_message: None,
        cancel_requested: false,
        due_at: None,
        version: 7,
        created_at: now,
        modified_at: now,
    }
}

const TWO_EACH: ActionCounts = ActionCounts {
    pre: 2,
    post: 2,
    lock: 1,
    unlock: 1,
    extend: 0,
};

const NONE: ActionCounts = ActionCounts {
    pre: 0,
    post: 0,
    lock: 0,
    unlock: 0,
    extend: 0,
};

fn admin() -> Actor {
    Actor {
        id: Uuid::from_u128(9),
        name: "admin".to_owned(),
    }
}

fn apply_ok(s: &Session, event: Event, now: DateTime<Utc>, counts: ActionCounts) -> Transition {
    apply(s, event, now, counts)
        .expect("the event applies")
        .expect("the event changes the session")
}

fn run(kind: ActionKind, index: u32) -> Effect {
    Effect::Run { kind, index }
}

fn finished(kind: ActionKind, index: u32, outcome: ActionOutcome) -> Event {
    Event::ActionFinished {
        kind,
        index,
        outcome,
        log: vec![],
    }
}

fn failed(error: &str, retry_at: Option<DateTime<Utc>>) -> ActionOutcome {
    ActionOutcome::Failed {
        error: error.to_owned(),
        retry_at,
    }
}

#[test]
fn a_request_waits_for_approval_is_scheduled_or_provisions_now() {
    let now = t0();
    let later = now + Duration::hours(2);
    assert_eq!(
        requested(now, now, Some(Duration::hours(24)), false),
        (
            WaitingForApproval,
            Some(now + Duration::hours(24)),
            Some(now + Duration::hours(24))
        )
    );
    assert_eq!(
        requested(now, later, None, false),
        (Scheduled, Some(later), None)
    );
    assert_eq!(
        requested(now, now, None, false),
        (Provisioning, Some(now), None)
    );
    assert_eq!(
        requested(now, now, Some(Duration::hours(1)), true),
        (ApprovalFailed, None, None),
        "nobody but the requester could decide"
    );
}

#[test]
fn nothing_happens_before_the_due_time() {
    let mut s = session(Scheduled);
    s.due_at = Some(t0() + Duration::minutes(5));
    assert_eq!(apply(&s, Event::Due, t0(), TWO_EACH), Ok(None));
    s.due_at = None;
    assert_eq!(apply(&s, Event::Due, t0(), TWO_EACH), Ok(None));
}

#[test]
fn a_due_scheduled_session_provisions_with_its_first_action() {
    let clock = ManualClock::starting_at(t0());
    let mut s = session(Scheduled);
    s.scheduled_start = t0() + Duration::minutes(10);
    s.due_at = Some(s.scheduled_start);
    clock.advance(Duration::minutes(10));
    let t = apply_ok(&s, Event::Due, clock.now(), TWO_EACH);
    assert_eq!(t.session.state, Provisioning);
    assert_eq!(t.session.due_at, None, "the outbox drives it from here");
    assert_eq!(t.effects, vec![run(ActionKind::PreSession, 0)]);
    assert_eq!(t.session.version, s.version, "the store bumps the version");
}

#[test]
fn without_pre_actions_a_session_is_available_at_once_until_its_end() {
    let mut s = session(Provisioning);
    s.due_at = Some(t0());
    let t = apply_ok(&s, Event::Due, t0(), NONE);
    assert_eq!(t.session.state, Available);
    assert_eq!(t.session.actual_start, Some(t0()));
    assert_eq!(t.session.due_at, Some(s.scheduled_end));
    assert!(t.effects.is_empty());
}

#[test]
fn provisioning_resumes_at_the_first_action_not_done() {
    let mut s = session(Provisioning);
    s.due_at = Some(t0());
    s.pre_actions_done = 1;
    let t = apply_ok(&s, Event::Due, t0(), TWO_EACH);
    assert_eq!(t.effects, vec![run(ActionKind::PreSession, 1)]);
}

#[test]
fn pre_actions_run_in_turn_then_the_session_is_available() {
    let s = session(Provisioning);
    let t = apply_ok(
        &s,
        finished(ActionKind::PreSession, 0, ActionOutcome::Succeeded),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.pre_actions_done, 1);
    assert_eq!(t.session.state, Provisioning);
    assert_eq!(t.effects, vec![run(ActionKind::PreSession, 1)]);
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PreSession, 1, ActionOutcome::Succeeded),
        t0() + Duration::seconds(3),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Available);
    assert_eq!(t.session.actual_start, Some(t0() + Duration::seconds(3)));
    assert!(t.effects.is_empty());
}

#[test]
fn a_pre_action_that_gives_up_fails_the_session_after_clean_up() {
    let s = session(Provisioning);
    let retry = t0() + Duration::seconds(5);
    let t = apply_ok(
        &s,
        finished(
            ActionKind::PreSession,
            0,
            failed("exit status 1", Some(retry)),
        ),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Provisioning, "a retry is coming");
    assert!(t.effects.is_empty());
    let t = apply_ok(
        &s,
        finished(ActionKind::PreSession, 0, failed("exit status 1", None)),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Canceling);
    assert_eq!(
        t.session.failure_reason.as_deref(),
        Some("pre-session action 1 failed: exit status 1")
    );
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 0)]);
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 0, ActionOutcome::Succeeded),
        t0(),
        TWO_EACH,
    );
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 1, ActionOutcome::Succeeded),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Failed);
}

#[test]
fn the_end_time_starts_clean_up_and_the_last_end_action_completes_it() {
    let mut s = session(Available);
    s.due_at = Some(s.scheduled_end);
    assert_eq!(
        apply(
            &s,
            Event::Due,
            s.scheduled_end - Duration::seconds(1),
            TWO_EACH
        ),
        Ok(None)
    );
    let end = s.scheduled_end;
    let t = apply_ok(&s, Event::Due, end, TWO_EACH);
    assert_eq!(t.session.state, Canceling);
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 0)]);
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 0, ActionOutcome::Succeeded),
        end,
        TWO_EACH,
    );
    assert_eq!(t.session.state, Canceling);
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 1)]);
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 1, ActionOutcome::Succeeded),
        end + Duration::seconds(2),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Complete);
    assert_eq!(t.session.actual_end, Some(end + Duration::seconds(2)));
    assert_eq!(t.session.due_at, None);
}

#[test]
fn an_extended_session_is_rescheduled_not_ended() {
    let mut s = session(Available);
    s.due_at = Some(t0() + Duration::minutes(30));
    let t = apply_ok(&s, Event::Due, t0() + Duration::minutes(30), TWO_EACH);
    assert_eq!(t.session.state, Available);
    assert_eq!(t.session.due_at, Some(s.scheduled_end));
}

#[test]
fn a_failing_end_action_shows_failed_to_revoke_until_it_succeeds() {
    let s = session(Canceling);
    let retry = t0() + Duration::seconds(10);
    let t = apply_ok(
        &s,
        finished(
            ActionKind::PostSession,
            0,
            failed("cannot start sh: Too many open files", Some(retry)),
        ),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.state, RevokeFailed);
    assert!(!t.session.state.is_final(), "it is still being retried");
    let message = t.session.status_message.clone().unwrap();
    assert!(
        message.contains("post-session action 1 failed"),
        "{message}"
    );
    assert!(message.contains("Too many open files"), "{message}");
    assert!(t.log.iter().any(|l| l.level == LogLevel::Error));
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 0, ActionOutcome::Succeeded),
        retry,
        TWO_EACH,
    );
    assert_eq!(t.session.state, Canceling);
    assert_eq!(t.session.status_message, None);
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 1)]);
    let t = apply_ok(
        &t.session,
        finished(ActionKind::PostSession, 1, ActionOutcome::Succeeded),
        retry,
        TWO_EACH,
    );
    assert_eq!(t.session.state, Complete);
}

#[test]
fn only_a_failed_to_revoke_session_can_be_resolved_and_it_closes_as_failed() {
    let resolve = || Event::Resolve {
        by: "admin".to_owned(),
        note: "role dropped by hand".to_owned(),
    };
    for state in [Available, Canceling, Complete, Scheduled] {
        assert!(
            matches!(
                apply(&session(state), resolve(), t0(), TWO_EACH),
                Err(Refusal::Conflict(_))
            ),
            "{state:?}"
        );
    }
    let mut s = session(RevokeFailed);
    s.status_message = Some(
        "post-session action 1 failed: exit status 3; access may still be in place; retrying at …"
            .to_owned(),
    );
    let t = apply_ok(&s, resolve(), t0(), TWO_EACH);
    assert_eq!(t.session.state, Failed);
    assert!(t.session.state.is_final());
    assert_eq!(t.session.actual_end, Some(t0()));
    assert_eq!(
        t.session.status_message.as_deref(),
        Some(
            "post-session action 1 failed: exit status 3; resolved by admin: role dropped by hand"
        )
    );
    assert_eq!(
        t.effects,
        vec![Effect::DropPending(ActionKind::PostSession)]
    );
    assert_eq!(t.log[0].actor.as_deref(), Some("admin"));
}

#[test]
fn ending_before_the_start_cancels_without_actions() {
    for state in [WaitingForApproval, Scheduled] {
        let t = apply_ok(&session(state), Event::End(admin()), t0(), TWO_EACH);
        assert_eq!(t.session.state, Cancelled);
        assert_eq!(t.session.cancelled_by_name.as_deref(), Some("admin"));
        assert!(t.effects.is_empty());
    }
}

#[test]
fn ending_an_active_or_provisioning_session_cleans_up() {
    let t = apply_ok(&session(Available), Event::End(admin()), t0(), TWO_EACH);
    assert_eq!(t.session.state, Canceling);
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 0)]);

    let t = apply_ok(&session(Provisioning), Event::End(admin()), t0(), TWO_EACH);
    assert_eq!(t.session.state, Canceling);
    assert!(t.session.cancel_requested);
    assert_eq!(t.effects, vec![run(ActionKind::PostSession, 0)]);
    // The pre-session action that was running finishes: nothing more is provisioned.
    let after = apply_ok(
        &t.session,
        finished(ActionKind::PreSession, 0, ActionOutcome::Succeeded),
        t0(),
        TWO_EACH,
    );
    assert_eq!(after.session.state, Canceling);
    assert!(after.effects.is_empty());
    assert!(!wants(&t.session, ActionKind::PreSession, 0));

    let t = apply_ok(&session(Available), Event::End(admin()), t0(), NONE);
    assert_eq!(
        t.session.state, Complete,
        "no end actions: complete at once"
    );
    let t = apply_ok(&session(Provisioning), Event::End(admin()), t0(), NONE);
    assert_eq!(t.session.state, Cancelled, "it never started");
}

#[test]
fn ending_twice_or_ending_a_finished_session_changes_nothing() {
    for state in [
        Canceling,
        RevokeFailed,
        Complete,
        Failed,
        Cancelled,
        Denied,
        ApprovalFailed,
    ] {
        assert_eq!(
            apply(&session(state), Event::End(admin()), t0(), TWO_EACH),
            Ok(None),
            "{state:?}"
        );
    }
}

#[test]
fn locking_runs_the_lock_actions_once_and_only_on_active_sessions() {
    let lock = || Event::Lock {
        by: "admin".to_owned(),
        title: Some("Audit".to_owned()),
        message: Some("hands off".to_owned()),
    };
    let t = apply_ok(&session(Available), lock(), t0(), TWO_EACH);
    assert!(t.session.locked);
    assert_eq!(t.session.shown_state(), Locked);
    assert_eq!(t.effects, vec![run(ActionKind::Lock, 0)]);
    assert!(t.log[0].message.contains("Audit: hands off"));
    assert_eq!(
        apply(&t.session, lock(), t0(), TWO_EACH),
        Ok(None),
        "already locked"
    );

    let unlock = Event::Unlock {
        by: "admin".to_owned(),
    };
    let u = apply_ok(&t.session, unlock.clone(), t0(), TWO_EACH);
    assert!(!u.session.locked);
    assert_eq!(u.session.lock_title, None);
    assert_eq!(u.effects, vec![run(ActionKind::Unlock, 0)]);
    assert_eq!(apply(&u.session, unlock, t0(), TWO_EACH), Ok(None));

    for state in [Scheduled, Provisioning, Canceling, Complete] {
        assert!(
            matches!(
                apply(&session(state), lock(), t0(), TWO_EACH),
                Err(Refusal::Conflict(_))
            ),
            "{state:?}"
        );
    }
    assert!(wants(&t.session, ActionKind::Lock, 0));
    assert!(!wants(&session(Canceling), ActionKind::Lock, 0));
}

fn limits() -> ExtensionLimits {
    ExtensionLimits {
        policy: "Ops".to_owned(),
        max_count: 2,
        max_each_minutes: 60,
    }
}

fn extend(minutes: i64) -> Event {
    Event::Extend {
        by: "uma".to_owned(),
        minutes,
        limits: limits(),
    }
}

#[test]
fn extending_moves_the_end_within_the_policy() {
    let s = session(Available);
    let t = apply_ok(&s, extend(30), t0(), TWO_EACH);
    assert_eq!(
        t.session.scheduled_end,
        s.scheduled_end + Duration::minutes(30)
    );
    assert_eq!(t.session.due_at, Some(t.session.scheduled_end));
    assert_eq!(t.session.extension_count, 1);
    let t = apply_ok(&t.session, extend(60), t0(), TWO_EACH);
    assert_eq!(t.session.extension_minutes, 90);
    assert!(
        matches!(
            apply(&t.session, extend(10), t0(), TWO_EACH),
            Err(Refusal::Refused { .. })
        ),
        "the third extension is over the count"
    );
    assert!(matches!(
        apply(&s, extend(61), t0(), TWO_EACH),
        Err(Refusal::Refused { .. })
    ));
    assert!(matches!(
        apply(&s, extend(0), t0(), TWO_EACH),
        Err(Refusal::Refused { .. })
    ));
    assert!(matches!(
        apply(&session(Complete), extend(10), t0(), TWO_EACH),
        Err(Refusal::Conflict(_))
    ));
}

#[test]
fn a_session_an_admin_locked_cannot_be_extended() {
    let mut s = session(Available);
    s.locked = true;
    match apply(&s, extend(10), t0(), TWO_EACH) {
        Err(Refusal::Refused { message, .. }) => assert!(message.contains("locked"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_login_is_recorded_once_and_only_on_an_available_session() {
    let login = || Event::LoginDetected {
        by: "agent".to_owned(),
    };
    let t = apply_ok(&session(Available), login(), t0(), TWO_EACH);
    assert_eq!(t.session.state, LoggedIn);
    assert_eq!(t.session.login_at, Some(t0()));
    assert_eq!(apply(&t.session, login(), t0(), TWO_EACH), Ok(None));
    assert!(matches!(
        apply(&session(Scheduled), login(), t0(), TWO_EACH),
        Err(Refusal::Conflict(_))
    ));
}

#[test]
fn approval_starts_the_request_now_or_at_its_start_and_caps_its_end() {
    let mut s = session(WaitingForApproval);
    s.approval_deadline = Some(t0() + Duration::hours(24));
    s.scheduled_end = t0() + Duration::hours(8);
    let approved = Event::Approved {
        max_duration: Duration::hours(1),
    };
    let t = apply_ok(&s, approved.clone(), t0() + Duration::minutes(5), TWO_EACH);
    assert_eq!(t.session.state, Provisioning);
    assert_eq!(t.session.scheduled_start, t0() + Duration::minutes(5));
    assert_eq!(t.session.scheduled_end, t0() + Duration::minutes(65));
    assert_eq!(t.effects, vec![run(ActionKind::PreSession, 0)]);

    let mut later = s.clone();
    later.scheduled_start = t0() + Duration::hours(3);
    let t = apply_ok(&later, approved.clone(), t0(), TWO_EACH);
    assert_eq!(t.session.state, Scheduled);
    assert_eq!(t.session.due_at, Some(later.scheduled_start));
    assert!(t.effects.is_empty());

    assert!(matches!(
        apply(&session(Scheduled), approved, t0(), TWO_EACH),
        Err(Refusal::Conflict(_))
    ));
}

#[test]
fn a_denial_ends_the_request_and_only_while_it_waits() {
    let denied = || Event::Denied {
        by: "rita".to_owned(),
        line: "denied by rita: no".to_owned(),
    };
    let t = apply_ok(&session(WaitingForApproval), denied(), t0(), TWO_EACH);
    assert_eq!(t.session.state, Denied);
    assert_eq!(t.session.actual_end, Some(t0()));
    assert!(matches!(
        apply(&session(Available), denied(), t0(), TWO_EACH),
        Err(Refusal::Conflict(_))
    ));
}

#[test]
fn an_approval_deadline_that_passes_fails_the_request_and_notifies() {
    let mut s = session(WaitingForApproval);
    let deadline = t0() + Duration::hours(1);
    s.approval_deadline = Some(deadline);
    s.due_at = Some(deadline);
    assert_eq!(
        apply(&s, Event::Due, deadline - Duration::seconds(1), TWO_EACH),
        Ok(None)
    );
    let t = apply_ok(&s, Event::Due, deadline, TWO_EACH);
    assert_eq!(t.session.state, ApprovalFailed);
    assert_eq!(t.effects, vec![Effect::Notify("approval_failed")]);
}

#[test]
fn outbox_runs_that_no_longer_apply_are_not_wanted() {
    let mut s = session(Provisioning);
    assert!(wants(&s, ActionKind::PreSession, 0));
    assert!(!wants(&s, ActionKind::PreSession, 1), "out of turn");
    s.pre_actions_done = 1;
    assert!(!wants(&s, ActionKind::PreSession, 0), "already done");
    assert!(!wants(&session(Available), ActionKind::PreSession, 0));
    assert!(wants(&session(RevokeFailed), ActionKind::PostSession, 0));
    assert!(!wants(&session(Complete), ActionKind::PostSession, 0));
    // A finished run whose session moved on is recorded and changes nothing else.
    let t = apply_ok(
        &session(Complete),
        finished(ActionKind::PostSession, 0, ActionOutcome::Succeeded),
        t0(),
        TWO_EACH,
    );
    assert_eq!(t.session.state, Complete);
    assert!(t.effects.is_empty());
}

#[test]
fn only_end_actions_never_give_up() {
    assert_eq!(ActionKind::PostSession.max_attempts(), None);
    for kind in [ActionKind::PreSession, ActionKind::Lock, ActionKind::Unlock] {
        assert!(kind.max_attempts().is_some(), "{kind:?}");
    }
    for kind in ActionKind::ALL {
        assert_eq!(ActionKind::from_label(kind.label()), Some(kind));
    }
}

#[test]
fn durations_count_whole_seconds_between_start_and_end() {
    let ms = Duration::milliseconds;
    let mut running = session(Available);
    running.actual_start = Some(t0() + ms(900));
    // 10:00:00.900 to 10:00:01.100: the clock's second moved once.
    assert_eq!(running.duration_seconds(t0() + ms(1_100)), 1);
    assert_eq!(running.duration_seconds(t0() + ms(999)), 0);
    // A clock behind the start (another replica's) never makes a duration negative.
    assert_eq!(running.duration_seconds(t0() - ms(5_000)), 0);

    let mut ended = running.clone();
    ended.state = Complete;
    ended.actual_end = Some(t0() + ms(61_000));
    assert_eq!(ended.duration_seconds(t0() + Duration::hours(9)), 61);

    let scheduled = session(Scheduled);
    assert_eq!(scheduled.duration_seconds(t0()), 3_600);
    let denied = session(Denied);
    assert_eq!(denied.duration_seconds(t0()), 0, "never started, finished");
}
