"""Does a facility's page list its inspections, their violations and the follow-ups, each linking to the act?"""


def test_the_facility_page_lists_audits_violations_and_followups_with_links(client, login, audit_api, facility,
                                                                          national):
    """After a failed audit and a follow-up checking the order, does the facility page list both audits, the
    violation with its due date and state, and the follow-up, each linking to its audit?"""
    first = audit_api.submitted("supervisor", facility, national, failing={"safety.panic_button"})
    followup = audit_api.submitted("supervisor", facility, national, legal_basis="unplanned",
                                   basis_reason="prior_order")
    login("supervisor")
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    audits = page.split('id="facility-audits"')[1].split("</section>")[0]
    assert f'href="/audits/{first["id"]}"' in audits and f'href="/audits/{followup["id"]}"' in audits
    assert "Не соответствует" in audits
    violations = page.split('id="facility-violations"')[1].split("</section>")[0]
    assert national.items_by_code["safety.panic_button"][1].text.ru in violations
    assert "Не устранено" in violations and f'href="/audits/{first["id"]}"' in violations
    followups = page.split('id="facility-followups"')[1].split("</section>")[0]
    assert f'href="/audits/{followup["id"]}"' in followups and "Контроль исполнения предписания" in followups
    assert f'href="/audits/{first["id"]}"' not in followups


def test_the_facility_page_names_each_audits_inspector_as_the_act_does(client, login, audit_api, facility, national,
                                                                       users):
    """Does the audits list name the inspector recorded on the act, as the act and the audits page do, even when
    the account was renamed since or there is none (the demo's 300 audits all showed "—")?"""
    from inspect_app.extensions import db
    from inspect_app.models import Audit

    done = audit_api.submitted("supervisor", facility, national)
    recorded = db.session.get(Audit, done["id"]).inspector_name
    assert recorded
    users["supervisor"].full_name = "Другое Имя Учётной Записи"
    db.session.commit()
    login("supervisor")
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    audits = page.split('id="facility-audits"')[1].split("</section>")[0]
    assert f'<td data-label="Инспектор">{recorded}</td>' in audits
    assert "Другое Имя Учётной Записи" not in audits
