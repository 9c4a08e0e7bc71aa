//! The contract for mock exams: writes from several front ends, submit, abandon, predictions.

use super::*;

pub(crate) fn exams_save_items_and_submit_atomically(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.create_exam(&exam_record()).unwrap();
    let w = crate::ExamWrite {
        since_ms: 100,
        now_ms: 5_100,
        current: 1,
        time_spent: Some((1, 900)),
        change: Some(answer_q(1, &[2], 0)),
    };
    let e = s.write_exam(id, &w).unwrap();
    assert_eq!(
        e,
        s.unfinished_exam().unwrap().unwrap(),
        "returns what is saved"
    );
    assert_eq!(
        (e.elapsed_ms, e.current, e.updated_at_ms),
        (5_000, 1, 5_100)
    );
    assert_eq!(e.items[1].chosen, Some(vec![2]));
    assert_eq!((e.items[1].time_ms, e.items[1].version), (900, 1));
    assert_eq!(e.items[0].chosen, None);
    let flag = crate::ExamItemChange::Flag {
        position: 1,
        flagged: true,
    };
    let e = s.write_exam(id, &act(5_100, 5_200, Some(flag))).unwrap();
    assert!(e.items[1].flagged);
    assert_eq!(e.items[1].version, 1, "a flag is not a change of answer");
    let a = answer("q2", "s1", false, 300);
    let submit = |seen_version, answers| crate::ExamSubmit {
        seen_version,
        since_ms: 5_200,
        now_ms: 6_200,
        auto: false,
        answers,
    };
    let stale = s.submit_exam(id, &submit(e.version - 1, std::slice::from_ref(&a)));
    assert!(
        matches!(stale, Err(StoreError::Conflict { position: None, .. })),
        "scored from an older copy: {stale:?}"
    );
    assert_eq!(s.tally().unwrap().answers, 0);
    s.submit_exam(id, &submit(e.version, std::slice::from_ref(&a)))
        .unwrap();
    assert!(s.unfinished_exam().unwrap().is_none());
    let done = &s.finished_exams().unwrap()[0];
    assert_eq!(
        (done.submitted_at_ms, done.elapsed_ms),
        (Some(6_200), 6_100)
    );
    // Submitting twice records the answers once, and says why.
    let again = s.submit_exam(id, &submit(done.version, std::slice::from_ref(&a)));
    assert!(
        matches!(again, Err(StoreError::ExamSubmitted(x)) if x == id),
        "{again:?}"
    );
    assert_eq!(s.tally().unwrap().answers, 1);
    // Nothing more is written into a submitted exam.
    let late = s.write_exam(id, &act(6_200, 7_000, Some(answer_q(0, &[1], 0))));
    assert!(
        matches!(late, Err(StoreError::ExamSubmitted(_))),
        "{late:?}"
    );
    assert_eq!(s.exam(id).unwrap().unwrap().items[0].chosen, None);
    let other = s.create_exam(&exam_record()).unwrap();
    let bad = s.write_exam(other, &act(100, 100, Some(answer_q(9, &[0], 0))));
    assert!(matches!(bad, Err(StoreError::Corrupt(_))), "{bad:?}");
    let gone = s.write_exam(999, &act(100, 100, None));
    assert!(matches!(gone, Err(StoreError::NoExam(999))), "{gone:?}");
}

pub(crate) fn a_stale_exam_answer_is_refused_not_written_back(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.create_exam(&exam_record()).unwrap();
    // Front end A answers question 1 (it showed version 0).
    s.write_exam(id, &act(100, 200, Some(answer_q(0, &[1], 0))))
        .unwrap();
    // Front end B still shows version 0 with no answer and sends another choice: refused.
    let stale = s.write_exam(id, &act(100, 300, Some(answer_q(0, &[3], 0))));
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                position: Some(0),
                ..
            })
        ),
        "{stale:?}"
    );
    let e = s.exam(id).unwrap().unwrap();
    assert_eq!(e.items[0].chosen, Some(vec![1]), "A's answer stands");
    assert_eq!(
        e.elapsed_ms, 100,
        "the refused write moved nothing, not even the clock"
    );
    // Sending the answer that is saved is no conflict (the same options, in any order).
    let mut two = exam_record();
    two.items[1].chosen = Some(vec![0, 2]);
    let id2 = s.create_exam(&two).unwrap();
    let e = s
        .write_exam(id2, &act(100, 200, Some(answer_q(1, &[2, 0], 7))))
        .unwrap();
    assert_eq!(e.items[1].version, 0);
    // Having re-read (version 1), B may replace A's answer.
    let e = s
        .write_exam(id, &act(300, 400, Some(answer_q(0, &[3], 1))))
        .unwrap();
    assert_eq!(
        (e.items[0].chosen.clone(), e.items[0].version),
        (Some(vec![3]), 2)
    );
}

pub(crate) fn the_exam_clock_counts_wall_time_once_and_never_goes_back(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.create_exam(&exam_record()).unwrap(); // updated_at 100
    // A has run it since 100 (its last save); B opened it at 1_000.
    let e = s.write_exam(id, &act(100, 1_500, None)).unwrap();
    assert_eq!(e.elapsed_ms, 1_400, "A counts from its last save");
    let e = s.write_exam(id, &act(1_000, 2_000, None)).unwrap();
    assert_eq!(
        e.elapsed_ms, 1_900,
        "B counts only what A has not: 1_500 to 2_000"
    );
    let e = s.write_exam(id, &act(1_500, 2_000, None)).unwrap();
    assert_eq!(e.elapsed_ms, 1_900, "both ran to 2_000: counted once");
    // A writer whose clock is behind (now before the last save) adds nothing.
    let e = s.write_exam(id, &act(100, 1_500, None)).unwrap();
    assert_eq!((e.elapsed_ms, e.updated_at_ms), (1_900, 2_000));
    // Nor does the clock pass the limit by counting.
    let e = s
        .write_exam(id, &act(2_000, 2_000 + 10 * 3_600_000, None))
        .unwrap();
    assert_eq!(e.elapsed_ms, e.time_limit_ms);
}

pub(crate) fn a_prediction_is_kept_once_per_exam(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.create_exam(&exam_record()).unwrap();
    assert!(s.predictions().unwrap().is_empty());
    let p = ExamPrediction {
        exam_id: id,
        predicted: 0.72,
        low: 0.6,
        high: 0.83,
        made_at_ms: 1_000,
    };
    s.record_prediction(&p).unwrap();
    // A second prediction for the same exam does not replace what was said before it.
    s.record_prediction(&ExamPrediction {
        predicted: 0.1,
        ..p
    })
    .unwrap();
    assert_eq!(s.predictions().unwrap(), vec![p]);
    // The prediction refers to an exam that exists.
    assert!(
        s.record_prediction(&ExamPrediction {
            exam_id: id + 99,
            ..p
        })
        .is_err()
    );
}

pub(crate) fn an_abandoned_exam_is_kept_unscored_and_takes_no_more_writes(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.create_exam(&exam_record()).unwrap();
    let e = s
        .write_exam(id, &act(100, 1_100, Some(answer_q(0, &[1], 0))))
        .unwrap();
    assert_eq!(e.status(), crate::ExamStatus::Running);
    s.abandon_exam(id, 2_000).unwrap();
    assert!(
        s.unfinished_exam().unwrap().is_none(),
        "no longer resumable"
    );
    assert!(s.finished_exams().unwrap().is_empty(), "not in the history");
    assert_eq!(s.tally().unwrap().answers, 0, "its answer is not recorded");
    let kept = s.exam(id).unwrap().expect("the row is kept");
    assert_eq!(kept.status(), crate::ExamStatus::Abandoned);
    assert_eq!(kept.abandoned_at_ms, Some(2_000));
    assert_eq!(kept.items[0].chosen, Some(vec![1]), "what was done is kept");
    let write = s.write_exam(id, &act(2_000, 3_000, None));
    assert!(
        matches!(write, Err(StoreError::ExamAbandoned(x)) if x == id),
        "{write:?}"
    );
    let submit = s.submit_exam(
        id,
        &crate::ExamSubmit {
            seen_version: kept.version,
            since_ms: 2_000,
            now_ms: 3_000,
            auto: false,
            answers: &[],
        },
    );
    assert!(
        matches!(submit, Err(StoreError::ExamAbandoned(_))),
        "{submit:?}"
    );
    let twice = s.abandon_exam(id, 4_000);
    assert!(
        matches!(twice, Err(StoreError::ExamAbandoned(_))),
        "{twice:?}"
    );
    // A submitted exam cannot be abandoned.
    let other = s.create_exam(&exam_record()).unwrap();
    let e = s.exam(other).unwrap().unwrap();
    s.submit_exam(
        other,
        &crate::ExamSubmit {
            seen_version: e.version,
            since_ms: 100,
            now_ms: 200,
            auto: false,
            answers: &[],
        },
    )
    .unwrap();
    let late = s.abandon_exam(other, 300);
    assert!(
        matches!(late, Err(StoreError::ExamSubmitted(_))),
        "{late:?}"
    );
    assert!(matches!(s.abandon_exam(99, 1), Err(StoreError::NoExam(99))));
}

pub(crate) fn an_exam_answered_from_two_connections_keeps_both_answers(b: &dyn Backend) {
    let (mut one, mut two) = (b.open(), b.open());
    let id = one.create_exam(&exam_record()).unwrap();
    let seen = two.exam(id).unwrap().unwrap();
    one.write_exam(
        id,
        &act(100, 200, Some(answer_q(0, &[1], seen.items[0].version))),
    )
    .unwrap();
    two.write_exam(
        id,
        &act(100, 300, Some(answer_q(1, &[2], seen.items[1].version))),
    )
    .unwrap();
    // The second connection's stale view of question 1 cannot overwrite the first's answer.
    let stale = two.write_exam(
        id,
        &act(300, 400, Some(answer_q(0, &[3], seen.items[0].version))),
    );
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                position: Some(0),
                ..
            })
        ),
        "{stale:?}"
    );
    let e = one.exam(id).unwrap().unwrap();
    assert_eq!(
        (e.items[0].chosen.clone(), e.items[1].chosen.clone()),
        (Some(vec![1]), Some(vec![2]))
    );
    assert_eq!(e.elapsed_ms, 200, "100 to 300, counted once");
    // A submit scored from the first connection's older copy is refused.
    let old = crate::ExamSubmit {
        seen_version: seen.version,
        since_ms: 300,
        now_ms: 400,
        auto: false,
        answers: &[],
    };
    assert!(matches!(
        one.submit_exam(id, &old),
        Err(StoreError::Conflict { position: None, .. })
    ));
}
