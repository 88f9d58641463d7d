"""Background jobs: queued by the admin or cron, run by the worker, followed in the admin."""

from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from resources import jobs
from resources.models import Job, JobKind, JobState, LinkCheck, Resource
from tests.factories import CuratorFactory, ResourceFactory, UserFactory
from tests.ports import unused_port

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "README.md"


@pytest.fixture
def curator_client(client):
    client.force_login(CuratorFactory())
    return client


def upload_seed(client):
    with SEED.open("rb") as upload:
        return client.post(reverse("admin:resources_resource_import"), {"file": upload})


def test_an_upload_returns_at_once_with_a_queued_dry_run_and_writes_nothing(curator_client):
    response = upload_seed(curator_client)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:resources_job_change", args=[job.pk])
    assert (job.kind, job.dry_run, job.state, job.label) == (
        JobKind.IMPORT,
        True,
        JobState.QUEUED,
        "README.md",
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    assert Resource.objects.count() == 0
    page = curator_client.get(response.url).content.decode()
    assert "Queued" in page and 'hx-trigger="every 3s"' in page


def test_the_worker_runs_the_dry_run_then_the_confirmed_import(curator_client, run_worker):
    dry_run = Job.objects.get(pk=upload_seed(curator_client).url.rstrip("/").split("/")[-2])
    run_worker()
    dry_run.refresh_from_db()
    assert dry_run.state == JobState.SUCCEEDED
    assert Resource.objects.count() == 0
    assert dry_run.result["counts"]["added"] > 50
    assert "Adam" in dry_run.result["added"]
    page = curator_client.get(reverse("admin:resources_job_change", args=[dry_run.pk]))
    assert "Confirm the import" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()

    url = reverse("admin:resources_resource_import")
    response = curator_client.post(url, {"confirm": "1", "job": str(dry_run.pk)})
    again = curator_client.post(url, {"confirm": "1", "job": str(dry_run.pk)})
    dry_run.refresh_from_db()
    assert (
        response.url
        == again.url
        == reverse("admin:resources_job_change", args=[dry_run.follow_up_id])
    )
    assert Job.objects.filter(dry_run=False).count() == 1  # a second click queued nothing
    assert Resource.objects.count() == 0  # queued, not yet run
    run_worker()
    imported = Job.objects.get(pk=dry_run.follow_up_id)
    assert imported.state == JobState.SUCCEEDED
    assert imported.message.startswith("added ")
    assert Resource.objects.filter(title="Adam").exists()
    assert Resource.objects.count() == dry_run.result["counts"]["added"]
    assert DBTaskResult.objects.get(id=imported.task_id).status == "SUCCESSFUL"


def test_a_confirm_for_an_unknown_or_unfinished_dry_run_is_refused(curator_client):
    upload_seed(curator_client)
    queued = Job.objects.get()
    url = reverse("admin:resources_resource_import")
    for value in [str(queued.pk), "not-a-uuid", ""]:
        response = curator_client.post(url, {"confirm": "1", "job": value}, follow=True)
        assert "That import has expired" in response.content.decode()
    assert Job.objects.count() == 1


def test_an_import_that_fails_midway_is_marked_failed_and_writes_nothing(
    curator_client, run_worker, monkeypatch
):
    from resources.services import importing

    real = importing._Importer.walk

    def walk_then_fail(self, *args, **kwargs):
        real(self, *args, **kwargs)
        assert Resource.objects.exists()  # rows were written inside the transaction…
        raise RuntimeError("disk full")

    upload_seed(curator_client)
    run_worker()
    dry_run = Job.objects.get()
    curator_client.post(
        reverse("admin:resources_resource_import"), {"confirm": "1", "job": str(dry_run.pk)}
    )
    monkeypatch.setattr(importing._Importer, "walk", walk_then_fail)
    run_worker()
    job = Job.objects.get(pk=Job.objects.get(pk=dry_run.pk).follow_up_id)
    assert job.state == JobState.FAILED
    assert "unexpected RuntimeError" in job.message
    assert job.result == {}
    assert Resource.objects.count() == 0  # …and rolled back with it
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def interrupted_import(attempts: int) -> Job:
    """A job a worker had started when it was killed: "running" with its task claimed."""
    job = jobs.enqueue_job(
        kind=JobKind.IMPORT,
        label="list.md",
        payload="# L\n\n## A\n\n- [Adam](https://a.example/)\n",
    )
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=attempts)
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    return job


def test_a_job_whose_worker_died_is_queued_again_and_completes(run_worker):
    job = interrupted_import(attempts=1)
    old_task = job.task_id
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.attempts == 2
    assert job.task_id != old_task
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    assert Resource.objects.filter(title="Adam").count() == 1


def test_a_job_interrupted_twice_is_marked_failed_and_writes_nothing(run_worker):
    job = interrupted_import(attempts=2)
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "stopped while running this job, twice" in job.message
    assert Resource.objects.count() == 0
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def test_run_again_queues_a_failed_job(curator_client, run_worker):
    job = interrupted_import(attempts=2)
    run_worker()
    response = curator_client.post(
        reverse("admin:resources_job_changelist"),
        {"action": "run_again", "_selected_action": [str(job.pk)]},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


def test_the_weekly_link_check_is_queued_once_and_run_by_the_worker(run_worker, capsys, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = True  # the stand-in address is on loopback
    resource = ResourceFactory(url=f"http://127.0.0.1:{unused_port()}/gone")
    call_command("enqueue_job", "link-check")
    call_command("enqueue_job", "link-check")
    assert "already queued" in capsys.readouterr().out
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(options={"timeout": 1, "retries": 0, "delay": 0})
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.result["counts"]["unreachable"] == 1
    assert LinkCheck.objects.get(resource=resource).status == "unreachable"


def test_curators_queue_a_link_check_from_the_admin(curator_client):
    response = curator_client.post(reverse("admin:resources_job_check_links"))
    job = Job.objects.get()
    assert job.kind == JobKind.LINK_CHECK
    assert response.url == reverse("admin:resources_job_change", args=[job.pk])
    assert curator_client.get(reverse("admin:resources_job_check_links")).status_code == 403


def test_a_running_job_shows_its_progress_in_the_admin(curator_client):
    job = jobs.enqueue_job(kind=JobKind.IMPORT, label="big.md", payload="# x")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    progress = jobs.Progress(job)
    progress.start(10_000)
    progress.advance(2_500)
    progress._write()
    page = curator_client.get(reverse("admin:resources_job_change", args=[job.pk]))
    assert '<progress value="2500" max="10000">' in page.content.decode()
    listing = curator_client.get(reverse("admin:resources_job_changelist")).content.decode()
    assert "2500 / 10000" in listing
    caches["jobs"].clear()


def test_readers_cannot_see_jobs(client):
    job = jobs.enqueue_job(kind=JobKind.IMPORT, label="secret.md", payload="# x")
    client.force_login(UserFactory())
    for url in [
        reverse("admin:resources_job_changelist"),
        reverse("admin:resources_job_change", args=[job.pk]),
    ]:
        assert client.get(url).status_code == 302  # to the admin login


def test_metadata_fetches_wait_for_their_command(capsys):
    from django.core.management import CommandError, get_commands

    if "enrich_metadata" in get_commands():  # issue 13 merged: the job is queued
        call_command("enqueue_job", "metadata")
        assert Job.objects.get().kind == JobKind.METADATA
        return
    with pytest.raises(CommandError, match="enrich_metadata"):
        call_command("enqueue_job", "metadata")
    assert not Job.objects.exists()


def test_an_address_that_is_no_job_id_is_a_404(curator_client):
    response = curator_client.get("/admin/resources/job/999/change/")
    assert response.status_code == 404
