"""The seeded catalogue's raw material: workflow templates, question sets, output files and engine messages."""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.server.world import OutputSpec, Question

REGIONS = [("Europe, Middle East & Africa", "EMEA"), ("North America", "NA"), ("Latin America", "LATAM"),
           ("Asia Pacific", "APAC")]
MODELS = [("Gradient boosting (v3)", "gbm_v3"), ("Logistic regression", "logit"), ("Random forest", "rf")]
WAREHOUSES = [("Rotterdam DC", "RTM"), ("Memphis DC", "MEM"), ("Singapore DC", "SIN")]
ENTITIES = [("Flightdeck Holdings Ltd", "FDH"), ("Flightdeck GmbH", "FDG"), ("Flightdeck Inc.", "FDI")]
CHANNELS = [("Email", "email"), ("Paid search", "sem"), ("Social", "social"), ("Display", "display")]


def _text(name: str, description: str, value: str = "") -> Question:
    return Question(name, "QuestionTextBox", description, value)


def _number(name: str, description: str, value: str) -> Question:
    return Question(name, "QuestionNumericUpDown", description, value)


def _list(name: str, description: str, items: list[tuple[str, str]], drop_down: bool = False) -> Question:
    kind = "QuestionDropDown" if drop_down else "QuestionListBox"
    return Question(name, kind, description, items[0][1], list(items))


def _check(name: str, description: str, value: str = "False") -> Question:
    return Question(name, "QuestionCheckBox", description, value)


def _date(name: str, description: str, value: str = "2025-01-01") -> Question:
    return Question(name, "QuestionDate", description, value)


QUESTION_SETS: dict[str, list[Question]] = {
    "sales": [_list("region", "Sales region", REGIONS), _date("asOfDate", "Report as of"),
              _check("includeReturns", "Include returned orders")],
    "churn": [_list("model", "Scoring model", MODELS, drop_down=True), _number("threshold", "Churn threshold", "0.35"),
              _date("scoreDate", "Score customers active on", "2025-03-31")],
    "inventory": [_list("warehouse", "Warehouse", WAREHOUSES, drop_down=True),
                  _number("safetyDays", "Safety stock (days)", "14")],
    "campaign": [_text("campaignCode", "Campaign code", "SPRING25"), _number("windowDays", "Attribution window", "30"),
                 _list("channel", "Channel", CHANNELS)],
    "everything": [_text("scenarioName", "Scenario name", "Baseline"), _number("horizonWeeks", "Horizon (weeks)", "12"),
                   _list("region", "Region", REGIONS), _list("model", "Model", MODELS, drop_down=True),
                   _check("publishToTableau", "Publish to Tableau", "True"), _date("startDate", "Forecast from")],
    "payroll": [_date("periodEnd", "Pay period end", "2025-01-31"), _list("entity", "Legal entity", ENTITIES, True)],
    "region": [_list("region", "Region", REGIONS, drop_down=True)],
    "threshold": [_number("minScore", "Minimum score", "70"), _check("notifyOwners", "E-mail owners", "True")],
    "address": [_text("countryCode", "ISO country code", "US"), _check("strictMatch", "Strict matching")],
}


@dataclass(frozen=True)
class WorkflowTemplate:
    """One seeded workflow: name, questions (a QUESTION_SETS key or None), outputs, typical minutes to run."""

    name: str
    description: str
    questions: str | None
    outputs: tuple[OutputSpec, ...]
    minutes: float
    outcome: str = "random"
    run_disabled: bool = False
    big_output: bool = False


def _csv(name: str, *columns: str) -> OutputSpec:
    return OutputSpec(name, columns, ("Raw", "Csv", "Json"))


def _yxdb(name: str, *columns: str) -> OutputSpec:
    return OutputSpec(name, columns, ("Raw", "Yxdb", "Csv", "Json"))


SALES_COLUMNS = ("OrderDate", "Region", "Product", "Units", "Revenue")
CUSTOMER_COLUMNS = ("CustomerId", "Segment", "Country", "Score", "UpdatedAt")
TRANSACTION_COLUMNS = ("TransactionId", "CustomerId", "PostedAt", "Amount", "Currency", "Channel")

TEMPLATES: tuple[WorkflowTemplate, ...] = (
    WorkflowTemplate("Regional Sales Summary", "Sales by region and product line", "sales",
                     (_csv("regional_sales.csv", *SALES_COLUMNS),), 3.5),
    WorkflowTemplate("Customer Churn Scoring", "Scores active customers for churn risk", "churn",
                     (_yxdb("churn_scores.yxdb", *CUSTOMER_COLUMNS), _csv("churn_summary.csv", *CUSTOMER_COLUMNS)), 12),
    WorkflowTemplate("Inventory Reorder Planner", "Reorder points per SKU and warehouse", "inventory",
                     (_csv("reorder_plan.csv", "Sku", "Warehouse", "OnHand", "ReorderPoint", "OrderQty"),), 6),
    WorkflowTemplate("Marketing Campaign Attribution", "Multi-touch attribution of campaign revenue", "campaign",
                     (_csv("attribution.csv", "CampaignCode", "Channel", "Touches", "Revenue", "Share"),), 9),
    WorkflowTemplate("Demand Forecast Builder", "Weekly demand forecast with scenario inputs", "everything",
                     (_yxdb("demand_forecast.yxdb", "Week", "Region", "Sku", "Forecast", "Lower", "Upper"),), 17),
    WorkflowTemplate("Payroll Reconciliation", "Reconciles payroll register against the ledger", "payroll",
                     (_csv("payroll_breaks.csv", "EmployeeId", "Entity", "Register", "Ledger", "Difference"),), 4),
    WorkflowTemplate("Store Performance Feed", "Daily KPIs per store for the BI layer", "region",
                     (_csv("store_kpis.csv", "StoreId", "Region", "Footfall", "Conversion", "Revenue"),), 2.5),
    WorkflowTemplate("Price Elasticity Model", "Estimates price elasticity per category", "region",
                     (_yxdb("elasticity.yxdb", "Category", "Region", "Elasticity", "RSquared"),), 15),
    WorkflowTemplate("Claims Fraud Screening", "Flags insurance claims for review", "threshold",
                     (_csv("flagged_claims.csv", "ClaimId", "PolicyId", "Score", "Reason", "Amount"),), 7),
    WorkflowTemplate("Daily Cash Position", "Cash by bank account and currency", "payroll",
                     (_csv("cash_position.csv", "Account", "Entity", "Currency", "Balance", "AsOf"),), 1.2),
    WorkflowTemplate("Product Returns Analysis", "Return rates and reasons by product", "sales",
                     (_csv("returns.csv", *SALES_COLUMNS),), 5),
    WorkflowTemplate("Web Sessions Funnel", "Session funnel from landing to checkout", "campaign",
                     (_csv("funnel.csv", "Day", "Channel", "Sessions", "Carts", "Orders"),), 3),
    WorkflowTemplate("Supplier Risk Assessment", "Scores suppliers on delivery and financial risk", "threshold",
                     (_csv("supplier_risk.csv", "SupplierId", "Country", "Score", "Tier", "UpdatedAt"),), 8),
    WorkflowTemplate("Address Standardization", "Cleanses and geocodes customer addresses", "address",
                     (_csv("addresses_clean.csv", "CustomerId", "Street", "City", "PostalCode", "Country"),), 4.5,
                     outcome="Warning"),
    WorkflowTemplate("Territory Alignment", "Balances sales territories by potential", "region",
                     (_csv("territories.csv", "Territory", "Region", "Accounts", "Potential", "Rep"),), 10),
    WorkflowTemplate("Budget vs Actuals Variance", "Monthly variance by cost centre", "payroll",
                     (_csv("variance.csv", "CostCentre", "Entity", "Budget", "Actual", "Variance"),), 2),
    WorkflowTemplate("Loyalty Points Accrual", "Accrues loyalty points for the period", "threshold", (), 6.5),
    WorkflowTemplate("Freight Cost Allocation", "Allocates freight invoices to shipments", "inventory",
                     (_csv("freight_allocation.csv", "ShipmentId", "Warehouse", "Carrier", "Cost", "Weight"),), 5.5),
    WorkflowTemplate("Nightly Orders ETL", "Loads yesterday's orders into the warehouse", None,
                     (_yxdb("orders_load.yxdb", *SALES_COLUMNS),), 14),
    WorkflowTemplate("CRM Contacts Sync", "Syncs CRM contacts to the marketing platform", None, (), 3),
    WorkflowTemplate("Ledger Close Extract", "Month-end general ledger extract", None,
                     (_csv("gl_extract.csv", "Account", "Entity", "Period", "Debit", "Credit"),), 11),
    WorkflowTemplate("Warehouse Snapshot Load", "Snapshots stock levels every half hour", None, (), 0.6),
    WorkflowTemplate("Legacy ERP Extract", "Extracts open orders from the legacy ERP", None,
                     (_csv("erp_open_orders.csv", *SALES_COLUMNS),), 2, outcome="Error"),
    WorkflowTemplate("Customer Transactions Export", "Full export of customer transactions for the data lake", None,
                     (_csv("customer_transactions.csv", *TRANSACTION_COLUMNS),), 16, big_output=True),
    WorkflowTemplate("Mainframe Archive Import", "Imports archived mainframe files (retired)", None, (), 8,
                     run_disabled=True),
)
ALWAYS_ERROR = "Legacy ERP Extract"
ALWAYS_WARNING = "Address Standardization"
RUN_DISABLED = "Mainframe Archive Import"
BIG_OUTPUT = "Customer Transactions Export"

ERROR_MESSAGES = (
    (1, 'Input Data (1): Error opening connection "ERP_PROD": [Oracle][ODBC][Ora]ORA-12541: TNS:no listener'),
    (3, "Join (3): The field \"CustomerId\" is missing from the right input. Check the incoming data."),
    (7, 'Output Data (7): Unable to write "\\\\fileshare\\reports\\output.csv": The process cannot access the file '
        "because it is being used by another process."),
    (2, "Formula (2): Parse Error at char(14): Unknown variable \"[Revenue_USD]\""),
    (5, "Summarize (5): Not enough memory to complete the operation (sort spill limit reached)."),
)
WARNING_MESSAGES = (
    (4, "Join (4): 17 records from the left input had no match on the right input"),
    (2, "Formula (2): ConvError: Revenue: \"n/a\" is not a valid Double"),
    (6, "Data Cleansing (6): 3 fields contained leading or trailing whitespace and were trimmed"),
    (5, "Union (5): The fields of input #2 are in a different order; they were aligned by name"),
)
READ_TOOLS = ("Input Data", "Dynamic Input", "Text Input")
