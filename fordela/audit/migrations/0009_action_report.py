# Follow-up reports' audit actions (fordela.reports).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_action_requisition_draft_deleted"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("reference_data.loaded", "Reference data was loaded"),
                    ("programme.seeded", "The programme was set up"),
                    ("programme.reseeded", "The programme was set up again"),
                    ("allocation_key.computed", "The allocation key was computed"),
                    ("allocation_key.published", "The allocation key was published"),
                    ("access.login_failed", "A login failed"),
                    ("ombud_application.started", "The ombud application was started"),
                    (
                        "ombud_application.attachment_added",
                        "A document was attached to the ombud application",
                    ),
                    ("ombud_application.submitted", "The ombud application was submitted"),
                    (
                        "ombud_application.completion_requested",
                        "Completion of the ombud application was requested",
                    ),
                    ("ombud_application.approved", "The ombud application was approved"),
                    ("ombud_application.written_off", "The ombud application was written off"),
                    ("membership.created", "A user was given a role in the organisation"),
                    ("membership.ombud_appointed", "An ombud was appointed"),
                    ("membership.ombud_replaced", "The ombud was replaced"),
                    ("membership.removed", "A user was removed from the organisation"),
                    ("membership.left", "A user left the organisation"),
                    ("invitation.created", "An invitation was sent"),
                    ("invitation.accepted", "An invitation was accepted"),
                    ("invitation.withdrawn", "An invitation was withdrawn"),
                    (
                        "invitation.refused",
                        "An invitation was refused: another account tried to accept it",
                    ),
                    ("user.contact_details_changed", "The user's contact details were changed"),
                    (
                        "organisation.contact_details_changed",
                        "The organisation's contact details were changed",
                    ),
                    ("staff_role.granted", "An agency role was granted"),
                    ("staff_role.revoked", "An agency role was revoked"),
                    ("requisition.started", "The requisition was started"),
                    ("requisition.draft_saved", "The draft was saved"),
                    ("requisition.submitted", "The requisition was submitted"),
                    ("requisition.withdrawn", "The requisition was withdrawn"),
                    ("requisition.draft_deleted", "The draft requisition was deleted"),
                    ("requisition.paid", "The requisition was paid"),
                    ("requisition.returned", "The requisition was returned for correction"),
                    ("requisition.rejected", "The requisition was rejected"),
                    ("requisition.note_added", "A note was added to the requisition"),
                    ("requisition.reminder_sent", "A reminder was sent"),
                    ("redistribution.confirmed", "The redistribution was confirmed"),
                    ("payable.created", "A payment was registered as owed"),
                    ("payable.cancelled", "The payment owed was cancelled"),
                    ("payment_batch.created", "The payment batch was created"),
                    ("payment_batch.approved", "The payment batch was approved"),
                    ("payment_batch.cancelled", "The payment batch was cancelled"),
                    ("payment_batch.paid", "The payment batch was marked as paid"),
                    ("payment_batch.exported", "The payment file was downloaded"),
                    ("call.created", "The call was created"),
                    ("call.bulk_decisions_started", "Decisions on all proposals were started"),
                    ("question_set.published", "The questions were published"),
                    ("question_set.new_version", "A new version of the questions"),
                    ("question.added", "A question was added"),
                    ("application.started", "The application was started"),
                    ("application.draft_saved", "The draft was saved"),
                    ("application.attached", "A document was attached"),
                    ("application.attachment_removed", "A document was removed"),
                    ("application.submitted", "The application was submitted"),
                    (
                        "application.completion_requested",
                        "Completion of the application was requested",
                    ),
                    ("application.completed", "The application was completed"),
                    ("application.scored", "The application was scored"),
                    ("application.risk_checked", "The risk checklist was filled in"),
                    (
                        "application.sent_for_consultation",
                        "The application was sent for consultation",
                    ),
                    ("application.opinion_filed", "An opinion was filed"),
                    ("application.decision_proposed", "A decision was proposed"),
                    (
                        "application.proposal_returned",
                        "The proposal was sent back to the case officer",
                    ),
                    ("application.decided", "The application was decided"),
                    ("application.letter_sent", "The decision letter was sent"),
                    ("report.opened", "The follow-up report was opened"),
                    ("report.submitted", "The follow-up report was submitted"),
                    (
                        "report.completion_requested",
                        "Completion of the follow-up report was requested",
                    ),
                    ("report.approved", "The follow-up report was approved"),
                    ("report.rejected", "The follow-up report was rejected"),
                ],
                max_length=100,
                verbose_name="action",
            ),
        ),
    ]
