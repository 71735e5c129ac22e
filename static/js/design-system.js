// Starts GOV.UK Frontend's scripts (error summary focus, character counts,
// the menu on a phone). Every page works without them.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
