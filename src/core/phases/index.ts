/**
 * Migration phases: plan (pure: manifest + warehouse snapshot → steps → actions with
 * their exact SQL), execute against a Warehouse with a fsynced journal, resume, roll back,
 * validate and derive status. Imports other src/core folders (manifest, warehouse, text,
 * definitions, diff, lint, inventory); never vscode.
 *
 *   types.ts          shapes shared by everything here
 *   expand.ts         templated/wildcard mappings → concrete legacy → new pairs
 *   sql.ts            every statement, built from validated, quoted identifiers
 *   steps/            one file per family of built-in steps (plan + rollback)
 *   plan.ts           phase → steps → actions; rollback plans; plan text
 *   snapshot.ts       the warehouse facts a plan needs, read once
 *   execute.ts        a step's actions, concurrently, journaled
 *   run.ts            run / resume / rollback / preview
 *   depends.ts        phase order: dependsOn phases complete before a phase runs
 *   cost.ts           bytes, bytes billed and money of a plan (dry runs); the budget
 *   manifest-status.ts mapping statuses written back with the manifest module's comment-preserving setMappingField
 *   journal.ts        .bqmigrate/journal.jsonl
 *   status.ts         phase status from the journal
 *   ledger.ts         what the journal says bqmigrate made; drift = made but no longer in the warehouse
 *   validate.ts       the validation checks and report
 *   manifest-check.ts phase-specific manifest validation with positions
 *   init.ts           the starter manifest `bqmigrate init` writes
 *   journal-recovery.ts  unusable journal lines: the message, the refusal, `run --abandon-run`
 */
export * from './types';
export { readJournal, inspectJournal, journalPath, stateDir, unfinishedRun, JournalWriter, type JournalProblem, type JournalReading } from './journal';
export { abandonRun, assertJournalUsable, blockingProblems, formatJournalProblem, JournalDamaged } from './journal-recovery';
export { phaseStatuses, formatStatus } from './status';
export { planPhase, planRollback, planBlockers, formatPlan, formatBytes, stepId, stepKind, findPhase, UnknownPhase } from './plan';
export { runPhases, rollbackPhase, previewPhase, ConfirmationRequired, PlanBlocked, assertManifestReady, type RunOptions, type RunResult } from './run';
export { validateMigration, readValidationReport, formatValidationTable, validationPassed, VALIDATION_FILE } from './validate';
export { buildLedger, findDrift, DriftDetected, type Drift, type ExpectedObject, type Ledger } from './ledger';
export { checkPhasesManifest } from './manifest-check';
export { estimateCost, totalCost, formatPlanCost, formatCost, formatUsd, billedBytes, priceOf, OverBudget, DEFAULT_ON_DEMAND_USD_PER_TIB, CAP_HEADROOM, type PlanCost, type StepCost, type ActionCost, type StatementCost } from './cost';
export { unmetDependencies, DependenciesNotMet, type UnmetDependency } from './depends';
export { takeSnapshot } from './snapshot';
export { expandMappings } from './expand';
export { builtinSteps } from './steps/index';
export { spawnCommand, type StepResult } from './execute';
export { initialManifestText } from './init';
