// Package console is the control-room console: a web page served by the `watchpost console`
// binary, on which officers watch their country's alerts live, open an alert's evidence, and
// confirm or dismiss it with a reason.
//
// What it reads and writes. For every country that has an officer in the users file the
// console reads that country's control-room topic, watchpost.alerts.<country>.v1, with
// read_committed isolation and no consumer group (every console instance holds the recent
// alerts of its countries: Config.Backlog per country, read from Config.Since ago). It also
// reads the outcomes topic, so that decisions made on another console show. A decision
// produces an event.Outcome to the outcomes topic (keyed by hit id); every alert sent to a
// screen, every detail opened, every decision, every refused request for another country's
// alert and every login and logout produces an event.AuditEvent (ids only) to the audit
// topic, keyed by officer id. Records are acknowledged by all in-sync replicas before the
// alert is shown or the decision confirmed to the officer: what was not audited was not
// disclosed.
//
// Who sees what. Officers log in with an id and a password checked against the users file
// (PBKDF2-HMAC-SHA-256 hashes, see HashPassword). A session is a random token in an
// HttpOnly, SameSite=Strict cookie (Secure, and named __Host-…, over TLS), expiring when
// idle and at a maximum age; every POST also needs the session's CSRF token in X-CSRF-Token
// and, when the browser sends them, a same-origin Origin and Sec-Fetch-Site. The country of
// the session decides everything, server-side: the live stream reads only that country's
// feed, and a request for an alert of another country is refused with 403 (and audited).
//
// Load. Each country's alerts are read once and fanned out; each live stream (server-sent
// events) has a bounded queue that drops its oldest events when a browser falls behind and
// tells it how many it dropped; the page keeps a capped list and renders at most a screenful
// of rows per animation frame, so thousands of alerts a minute stay responsive.
//
// The page (web/) is plain HTML, CSS and JavaScript embedded in the binary: no external
// resource, and a Content-Security-Policy that allows none.
//
// The package imports deploy, pipeline/event, producers, schemas, franz-go, zap and
// prometheus. A Server is safe for concurrent use.
package console
