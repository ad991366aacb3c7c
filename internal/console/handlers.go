package console

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
)

//go:embed web
var webFS embed.FS

const (
	cookieName       = "wp_session"
	secureCookieName = "__Host-wp_session" // the prefix requires Secure, Path=/ and no Domain
	csrfHeader       = "X-CSRF-Token"
	maxBody          = 8 << 10
	heartbeat        = 15 * time.Second
	writeTimeout     = 10 * time.Second
)

// contentSecurityPolicy allows the page's own assets and nothing else.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

var (
	hitIDSyntax      = regexp.MustCompile(`^[0-9a-f]{32}$`)
	borderPostSyntax = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)
	severities       = []string{"critical", "high", "medium", "low"}
	databases        = []string{
		string(event.DBSLTD), string(event.DBNotices), string(event.DBNominals), string(event.DBTDAWN),
		string(event.DBVehicles), string(event.DBVessels), string(event.DBFirearms),
	}
)

func (s *Server) routes() http.Handler {
	static, _ := fs.Sub(webFS, "web") // the embedded directory exists: fs.Sub cannot fail
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { serveAsset(w, static, "index.html") })
	mux.HandleFunc("GET /static/{file}", func(w http.ResponseWriter, r *http.Request) { serveAsset(w, static, r.PathValue("file")) })
	mux.HandleFunc("POST /api/login", s.login)
	mux.HandleFunc("POST /api/logout", s.authed(true, s.logout))
	mux.HandleFunc("GET /api/session", s.authed(false, s.sessionInfo))
	mux.HandleFunc("GET /api/facets", s.authed(false, s.facets))
	mux.HandleFunc("GET /api/stream", s.authed(false, s.stream))
	mux.HandleFunc("GET /api/alerts/{id}", s.authed(false, s.alertDetail))
	mux.HandleFunc("POST /api/alerts/{id}/decision", s.authed(true, s.decision))
	return securityHeaders(mux)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func serveAsset(w http.ResponseWriter, static fs.FS, name string) {
	b, err := fs.ReadFile(static, path.Clean(name))
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, nil)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(b)
}

// apiError answers with a JSON error. msg never holds personal data.
func apiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do then
}

// sameOrigin rejects cross-site requests: Sec-Fetch-Site, when the browser sends it, must
// be same-origin, and Origin, when sent, must be this host.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return true
}

// readJSON decodes a small JSON body, refusing other content types (an HTML form can send
// none but a few, so this also keeps cross-site forms out) and unknown fields.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		apiError(w, http.StatusUnsupportedMediaType, "want Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		apiError(w, http.StatusBadRequest, "the request body is not the expected JSON object")
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		apiError(w, http.StatusBadRequest, "the request body holds more than one JSON value")
		return false
	}
	return true
}

func (s *Server) sessionToken(r *http.Request) string {
	for _, name := range []string{secureCookieName, cookieName} {
		if c, err := r.Cookie(name); err == nil {
			return c.Value
		}
	}
	return ""
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	secure := s.cfg.SecureCookies || r.TLS != nil
	name := cookieName
	if secure {
		name = secureCookieName
	}
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
	})
}

type authedHandler func(w http.ResponseWriter, r *http.Request, ss *session, token string)

// authed admits requests of a live session; with post, only same-origin requests carrying
// the session's CSRF token.
func (s *Server) authed(post bool, h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if post && !sameOrigin(r) {
			apiError(w, http.StatusForbidden, "cross-site request refused")
			return
		}
		token := s.sessionToken(r)
		ss := s.sessions.get(token, s.cfg.Now())
		if ss == nil {
			apiError(w, http.StatusUnauthorized, "log in first")
			return
		}
		if post && !ss.csrfOK(r.Header.Get(csrfHeader)) {
			apiError(w, http.StatusForbidden, "missing or wrong CSRF token")
			return
		}
		h(w, r, ss, token)
	}
}

type sessionView struct {
	OfficerID string `json:"officer_id"`
	Country   string `json:"country"`
	CSRFToken string `json:"csrf_token"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		apiError(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	var req struct {
		OfficerID string `json:"officer_id"`
		Password  string `json:"password"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	now := s.cfg.Now()
	known := s.users.Lookup(req.OfficerID)
	if known != nil && s.limiter.blocked(known.ID, now) {
		s.metrics.logins.WithLabelValues("blocked").Inc()
		apiError(w, http.StatusTooManyRequests, "too many failed logins for this account: wait and try again")
		return
	}
	u := s.users.Authenticate(req.OfficerID, req.Password)
	if u == nil {
		s.metrics.logins.WithLabelValues("failed").Inc()
		if known != nil {
			// Only known account ids are audited: an unknown "id" may be a password typed
			// in the wrong field.
			s.limiter.fail(known.ID, now)
			if err := s.audit(r.Context(), &session{officerID: known.ID, country: known.Country}, event.AuditLoginFailed); err != nil {
				s.log.Warn("auditing a failed login", zap.String("officer_id", known.ID), zap.Error(err))
			}
		}
		apiError(w, http.StatusUnauthorized, "wrong officer id or password")
		return
	}
	token, ss, err := s.sessions.create(u, now)
	if err != nil {
		s.log.Error("creating a session", zap.Error(err))
		apiError(w, http.StatusInternalServerError, "could not create a session")
		return
	}
	if err := s.audit(r.Context(), ss, event.AuditLogin); err != nil {
		s.sessions.end(token)
		s.log.Error("auditing a login; refusing it", zap.String("officer_id", u.ID), zap.Error(err))
		apiError(w, http.StatusServiceUnavailable, "the audit log is unavailable: try again")
		return
	}
	s.limiter.succeed(u.ID)
	s.metrics.logins.WithLabelValues("ok").Inc()
	s.log.Info("officer logged in", zap.String("officer_id", u.ID), zap.String("country", u.Country))
	s.setSessionCookie(w, r, token, 0)
	writeJSON(w, http.StatusOK, sessionView{u.ID, u.Country, ss.csrf})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, ss *session, token string) {
	s.sessions.end(token)
	s.setSessionCookie(w, r, "", -1)
	if err := s.audit(r.Context(), ss, event.AuditLogout); err != nil {
		s.log.Warn("auditing a logout", zap.String("officer_id", ss.officerID), zap.Error(err))
	}
	writeJSON(w, http.StatusOK, map[string]bool{"logged_out": true})
}

func (s *Server) sessionInfo(w http.ResponseWriter, _ *http.Request, ss *session, _ string) {
	writeJSON(w, http.StatusOK, sessionView{ss.officerID, ss.country, ss.csrf})
}

func (s *Server) facets(w http.ResponseWriter, _ *http.Request, ss *session, _ string) {
	reasons := map[string][]string{}
	for _, d := range event.Decisions() {
		reasons[string(d)] = event.OutcomeReasons(d)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"databases":    databases,
		"severities":   severities,
		"border_posts": s.feeds[ss.country].borderPosts(),
		"reasons":      reasons,
	})
}

// parseFilter reads the stream's filters; each must be empty or a known value.
func parseFilter(q url.Values) (filter, error) {
	f := filter{BorderPost: q.Get("border_post"), Database: q.Get("database"), Severity: q.Get("severity")}
	var errs []error
	if f.BorderPost != "" && !borderPostSyntax.MatchString(f.BorderPost) {
		errs = append(errs, errors.New("border_post: want 1-32 letters, digits, '.', '_' or '-'"))
	}
	if f.Database != "" && !slices.Contains(databases, f.Database) {
		errs = append(errs, fmt.Errorf("database: want one of %s", strings.Join(databases, ", ")))
	}
	if f.Severity != "" && !slices.Contains(severities, f.Severity) {
		errs = append(errs, fmt.Errorf("severity: want one of %s", strings.Join(severities, ", ")))
	}
	return f, errors.Join(errs...)
}

// stream serves the officer's country's alerts as server-sent events: first the held
// alerts matching the filters (after Last-Event-ID when reconnecting), then live ones.
// Every alert is audited as shown before it is written; when auditing fails the stream
// ends, and the browser's reconnection resumes after the last alert it was shown.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, ss *session, token string) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	var after uint64
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		after, _ = strconv.ParseUint(v, 10, 64) // a garbled id replays the whole backlog
	}
	fd := s.feeds[ss.country]
	sub := newSubscriber(f, s.cfg.StreamBuffer)
	fd.subscribe(sub, after)
	defer fd.unsubscribe(sub)
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout)) // unsupported only by test recorders
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write([]byte("retry: 2000\n\n")) {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	ctx := r.Context()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if !s.sessions.alive(token, s.cfg.Now()) {
				_ = write([]byte("event: logout\ndata: {}\n\n"))
				return
			}
			if !write([]byte(": keep-alive\n\n")) {
				return
			}
			continue
		case <-sub.wake:
		}
		if !s.sessions.alive(token, s.cfg.Now()) {
			_ = write([]byte("event: logout\ndata: {}\n\n"))
			return
		}
		msgs, dropped := sub.take()
		var shown []string
		for _, m := range msgs {
			if m.hitID != "" {
				shown = append(shown, m.hitID)
			}
		}
		if len(shown) > 0 {
			if err := s.audit(ctx, ss, event.AuditAlertShown, shown...); err != nil {
				s.log.Error("auditing shown alerts; ending the stream", zap.String("officer_id", ss.officerID), zap.Error(err))
				_ = write([]byte("event: failure\ndata: {\"error\":\"the audit log is unavailable\"}\n\n"))
				return
			}
		}
		var b []byte
		for _, m := range msgs {
			if m.id != 0 {
				b = fmt.Appendf(b, "id: %d\n", m.id)
			}
			b = fmt.Appendf(b, "event: %s\ndata: %s\n\n", m.event, m.data)
		}
		if dropped > 0 {
			s.metrics.dropped.Add(float64(dropped))
			b = fmt.Appendf(b, "event: dropped\ndata: {\"count\":%d}\n\n", dropped)
		}
		if !write(b) {
			return
		}
	}
}

// lookup finds a hit for a session: in its own country's feed, or (to refuse it) in
// another's. status is 200, 403 or 404.
func (s *Server) lookup(ss *session, hitID string) (detail, *feed, int) {
	if !hitIDSyntax.MatchString(hitID) {
		return detail{}, nil, http.StatusNotFound
	}
	own := s.feeds[ss.country]
	if d, ok := own.get(hitID); ok {
		return d, own, http.StatusOK
	}
	for c, f := range s.feeds {
		if c == ss.country {
			continue
		}
		if _, ok := f.get(hitID); ok {
			return detail{}, nil, http.StatusForbidden
		}
	}
	return detail{}, nil, http.StatusNotFound
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, ss *session, hitID string, status int) {
	if status == http.StatusForbidden {
		s.log.Warn("refused another country's alert", zap.String("officer_id", ss.officerID), zap.String("hit_id", hitID))
		if err := s.audit(r.Context(), ss, event.AuditAccessDenied, hitID); err != nil {
			s.log.Warn("auditing a refused request", zap.Error(err))
		}
		apiError(w, status, "this alert belongs to another country's control room")
		return
	}
	apiError(w, http.StatusNotFound, "no such alert among the recent alerts of your country")
}

func (s *Server) alertDetail(w http.ResponseWriter, r *http.Request, ss *session, _ string) {
	hitID := r.PathValue("id")
	d, _, status := s.lookup(ss, hitID)
	if status != http.StatusOK {
		s.refuse(w, r, ss, hitID, status)
		return
	}
	if err := s.audit(r.Context(), ss, event.AuditAlertViewed, hitID); err != nil {
		s.log.Error("auditing a viewed alert; not showing it", zap.String("officer_id", ss.officerID), zap.Error(err))
		apiError(w, http.StatusServiceUnavailable, "the audit log is unavailable: try again")
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) decision(w http.ResponseWriter, r *http.Request, ss *session, _ string) {
	hitID := r.PathValue("id")
	var req struct {
		Decision   string `json:"decision"`
		ReasonCode string `json:"reason_code"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	d := event.Decision(req.Decision)
	if !slices.Contains(event.Decisions(), d) {
		apiError(w, http.StatusBadRequest, "decision: want confirmed or dismissed")
		return
	}
	if !event.ValidReason(d, req.ReasonCode) {
		apiError(w, http.StatusBadRequest, "reason_code: want one of "+strings.Join(event.OutcomeReasons(d), ", "))
		return
	}
	det, fd, status := s.lookup(ss, hitID)
	if status != http.StatusOK {
		s.refuse(w, r, ss, hitID, status)
		return
	}
	if det.Decision != "" {
		apiError(w, http.StatusConflict, "this alert is already "+det.Decision)
		return
	}
	if _, busy := s.pending.LoadOrStore(hitID, struct{}{}); busy {
		apiError(w, http.StatusConflict, "a decision on this alert is being recorded")
		return
	}
	defer s.pending.Delete(hitID)
	o, err := s.decide(r.Context(), ss, hitID, d, req.ReasonCode)
	if err != nil {
		s.log.Error("recording a decision", zap.String("officer_id", ss.officerID), zap.String("hit_id", hitID), zap.Error(err))
		apiError(w, http.StatusServiceUnavailable, "the decision could not be recorded: try again")
		return
	}
	s.decided.put(hitID, string(d))
	fd.decide(hitID, string(d))
	s.log.Info("alert decided", zap.String("officer_id", ss.officerID), zap.String("hit_id", hitID), zap.String("decision", string(d)), zap.String("reason_code", req.ReasonCode))
	writeJSON(w, http.StatusOK, o)
}
