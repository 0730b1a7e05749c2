/**
 * The starter manifest `bqmigrate init` writes, pre-filled from the team's plan and log:
 * the seven datasets, the five horizon tables → `training.zl_training_prod_allhistory_{horizon}`,
 * archive names `archive.legacy_20251114__models_v4__*`, a 30-day shim grace, and the phases.
 */
export function initialManifestText(project = 'cbi-v14'): string {
  return `{
  // bqmigrate manifest — written by \`bqmigrate init\` from the master execution plan and the
  // naming migration log. Edit freely: comments are kept when bqmigrate updates statuses.
  "$schema": "./node_modules/bqmigrate/schemas/bqmigrate.schema.json",
  "project": ${JSON.stringify(project)},
  "location": "US",
  "datasets": {
    "archive": { "description": "Archived legacy tables with archived_date, original_location, migration_version" },
    "raw_intelligence": { "description": "Raw ingested intelligence: prices, weather, policy, news, sentiment, FX" },
    "features": { "description": "Feature tables built from raw intelligence" },
    "training": { "description": "Training surfaces: {asset}_{function}_{scope}_{regime}_{horizon}" },
    "predictions": { "description": "Model predictions served to the dashboard" },
    "monitoring": { "description": "Data quality and dedup conflict monitoring" },
    "vegas_intelligence": { "description": "Vegas intelligence" }
  },
  "legacyDatasets": {
    "models_v4": { "description": "Legacy training tables (production_training_data_*)" }
  },
  "variables": {
    "horizon": ["1w", "1m", "3m", "6m", "12m"]
  },
  "naming": {
    "training": {
      "pattern": "{asset}_{function}_{scope}_{regime}_{horizon}",
      "segments": {
        "asset": ["zl"],
        "function": ["training"],
        "scope": ["prod", "full"],
        "regime": ["allhistory"],
        "horizon": ["1w", "1m", "3m", "6m", "12m"]
      },
      "exempt": ["regime_calendar", "regime_weights"]
    }
  },
  "mappings": [
    // Phase 3 of the log: the five production horizons.
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}", "status": "planned" }
  ],
  "archive": { "dataset": "archive", "name": "legacy_{date}__{dataset}__{table}", "date": "20251114", "migrationVersion": "naming-v1" },
  "shims": { "graceDays": 30, "quietDays": 7 },
  "checks": [
    {
      "id": "no-duplicate-dates-1m",
      "description": "one row per date in the 1m training table",
      "sql": "SELECT date, COUNT(*) AS n FROM \`${project}.training.zl_training_prod_allhistory_1m\` GROUP BY date HAVING COUNT(*) > 1"
    }
  ],
  "phases": [
    { "id": "datasets", "title": "Create new datasets", "steps": [{ "run": "create-datasets" }, { "run": "verify-datasets" }] },
    { "id": "archive", "title": "Archive legacy tables", "steps": [{ "run": "archive" }] },
    { "id": "targets", "title": "Build training tables", "steps": [{ "run": "create-targets" }] },
    { "id": "shims", "title": "Shim views on legacy names", "steps": [{ "run": "shim-views" }] },
    { "id": "validate", "title": "Validate", "steps": [{ "run": "validate" }] },
    { "id": "cleanup", "title": "Drop shims after the grace period", "steps": [{ "run": "drop-shims" }] }
  ]
}
`;
}
