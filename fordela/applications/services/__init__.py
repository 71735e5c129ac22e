"""State changes of applications, one module per stage: ``applying``
(start, fill in, attach, submit), ``assessment`` (scores, risk checklist,
completion), ``consultation`` (*remiss* to Jämställdhetsmyndigheten) and
``decisions`` (proposal, decision, return, bulk decisions). Each function
checks permission, validates, changes state in one transaction, writes an
audit event and enqueues e-mail on commit. Each module also holds the reads
of its stage's list pages (the queue, the calls with what they have
granted, the requests for views), ordered for paging."""
