"""Purchase orders and approvals: a real Flask-AppBuilder app with Tandem's page SDK in its base template.

Its backend mints page tokens with the organisation's Tandem API key (scope pages:write) for the
signed-in person, and its edit handler asks Tandem's verify API whether the person may write the
fields the submit changes (a field delegated to a colleague is theirs until they finish).

Configured by the environment (see README.md): TANDEM_URL, TANDEM_API_KEY, TANDEM_SDK_FILE,
DEMO_DATABASE, DEMO_USERS, DEMO_PASSWORD, PORT.
"""

import os
from urllib.parse import urljoin

import requests
from flask import Flask, abort, jsonify, request, send_file
from flask_appbuilder import AppBuilder, Model, ModelView
from flask_appbuilder.models.sqla import base as sqla_base
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_login import current_user
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text, inspect
from sqlalchemy.orm import relationship

HERE = os.path.dirname(os.path.abspath(__file__))
TANDEM_URL = os.environ.get("TANDEM_URL", "http://127.0.0.1:8787").rstrip("/")
TANDEM_API_KEY = os.environ.get("TANDEM_API_KEY", "")
SDK_FILE = os.environ.get(
    "TANDEM_SDK_FILE", os.path.join(HERE, "..", "..", "packages", "page-sdk", "dist", "tandem-pages.js")
)
APP_KEY = "procurement"


class PurchaseOrder(Model):
    __tablename__ = "purchase_order"
    id = Column(Integer, primary_key=True)
    number = Column(String(20), unique=True, nullable=False)
    supplier = Column(String(120), nullable=False)
    amount = Column(String(20), nullable=False)
    quantity = Column(String(20), nullable=False)
    notes = Column(Text, default="")
    approved = Column(Boolean, default=False)

    def __repr__(self):
        return self.number


class Approval(Model):
    __tablename__ = "approval"
    id = Column(Integer, primary_key=True)
    purchase_order_id = Column(Integer, ForeignKey("purchase_order.id"), nullable=False)
    purchase_order = relationship(PurchaseOrder)
    approver = Column(String(120), nullable=False)
    decision = Column(String(20), nullable=False)
    comment = Column(Text, default="")


def tandem(path, body):
    """A call to Tandem's server-to-server API with the organisation's API key."""
    r = requests.post(
        f"{TANDEM_URL}{path}", json=body, headers={"authorization": f"Bearer {TANDEM_API_KEY}"}, timeout=10
    )
    r.raise_for_status()
    return r.json()


def changed_fields(item):
    """The columns this submit changes (the form sets every field; only real changes count)."""
    changed = []
    for attr in inspect(item).attrs:
        h = attr.history
        if h.added and (h.deleted or [None])[0] != h.added[0]:
            changed.append(attr.key)
    return changed


class ApprovalView(ModelView):
    datamodel = SQLAInterface(Approval)
    list_columns = ["purchase_order", "approver", "decision"]
    edit_columns = add_columns = ["purchase_order", "approver", "decision", "comment"]


class PurchaseOrderView(ModelView):
    datamodel = SQLAInterface(PurchaseOrder)
    list_columns = ["number", "supplier", "amount", "quantity", "approved"]
    edit_columns = add_columns = ["number", "supplier", "amount", "quantity", "notes", "approved"]
    related_views = [ApprovalView]

    def pre_update(self, item):
        """The form's submit stays the source of truth, but a field delegated to someone else is theirs."""
        fields = changed_fields(item)
        verdict = tandem(
            "/pages/verify",
            {
                "person": {"email": current_user.email},
                "page": {"app": APP_KEY, "view": type(self).__name__, "recordId": str(item.id)},
                "fields": fields,
            },
        )
        if not verdict["allowed"]:
            self.datamodel.session.rollback()
            names = ", ".join(
                f'{r["delegation"]["fieldLabel"]} (delegated to {r["delegation"]["delegate"]["name"]})'
                for r in verdict["refused"]
            )
            raise ValueError(f"Not saved: {names}")


def create_app():
    app = Flask(__name__, template_folder=os.path.join(HERE, "templates"))
    app.config.update(
        SECRET_KEY=os.environ.get("DEMO_SECRET_KEY", "tandem-demo-only"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.abspath(os.environ.get("DEMO_DATABASE", "demo.db")),
        APP_NAME="Procurement",
        AUTH_TYPE=1,  # database
        FAB_BASE_TEMPLATE="tandem_base.html",
        WTF_CSRF_ENABLED=True,
    )
    db = sqla_base.SQLA(app, model_class=Model)
    with app.app_context():
        appbuilder = AppBuilder(app, db.session)
        appbuilder.add_view(PurchaseOrderView, "Purchase orders", icon="fa-file", category="Procurement")
        appbuilder.add_view(ApprovalView, "Approvals", icon="fa-check", category="Procurement")

    @app.post("/tandem/token")
    def tandem_token():
        """Mints a page token for the signed-in person on the page the SDK is on."""
        if not current_user.is_authenticated:
            abort(401)
        view = request.args.get("view") or "home"
        record = request.args.get("pk") or "list"
        body = request.get_json(silent=True) or {}
        url = str(body.get("url") or request.referrer or request.host_url)
        if not url.startswith(request.host_url):
            abort(400)
        # What people call the page: the record itself where there is one.
        order = db.session.get(PurchaseOrder, int(record)) if view == "PurchaseOrderView" and record.isdigit() else None
        title = f"Purchase order {order.number}" if order is not None else str(body.get("title") or "Procurement")
        token = tandem(
            "/pages/tokens",
            {
                "person": {"email": current_user.email},
                "page": {"app": APP_KEY, "view": view, "recordId": record},
                "url": url,
                "title": title[:200],
            },
        )
        return jsonify({**token, "server": TANDEM_URL})

    @app.get("/tandem/sdk.js")
    def tandem_sdk():
        return send_file(SDK_FILE, mimetype="text/javascript", max_age=0)

    with app.app_context():
        Model.metadata.create_all(db.engine)
        seed(appbuilder, db)
    return app


def seed(appbuilder, db):
    """The demo's people (the same e-mails as in Tandem) and a few purchase orders."""
    sm = appbuilder.sm
    admin = sm.find_role("Admin")
    password = os.environ.get("DEMO_PASSWORD", "tandem-demo-password")
    for entry in filter(None, os.environ.get("DEMO_USERS", "ada@tandem.example:Ada Lovelace").split(",")):
        email, _, name = entry.partition(":")
        if sm.find_user(email=email) is None:
            first, _, last = (name or email).partition(" ")
            sm.add_user(email, first, last or "-", email, admin, password=password)
    if db.session.query(PurchaseOrder).count() == 0:
        db.session.add_all(
            [
                PurchaseOrder(number="PO-1001", supplier="Acme Tools", amount="1200.00", quantity="10", notes=""),
                PurchaseOrder(number="PO-1002", supplier="Globex", amount="560.00", quantity="4", notes=""),
                PurchaseOrder(number="PO-1003", supplier="Initech", amount="89.90", quantity="1", notes=""),
            ]
        )
        db.session.commit()
        db.session.add(Approval(purchase_order_id=1, approver="Grace", decision="pending", comment=""))
        db.session.commit()


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), debug=False)
