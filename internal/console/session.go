package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// session is one logged-in officer. Only the SHA-256 of its token is held, so a memory
// dump does not hand out live sessions.
type session struct {
	officerID string
	country   string
	csrf      string // sent back on every POST in X-CSRF-Token
	created   time.Time
	lastSeen  time.Time
}

// sessions holds the live sessions, expiring them after an idle time and a maximum age.
// Safe for concurrent use.
type sessions struct {
	idle, maxAge time.Duration

	mu   sync.Mutex
	byID map[string]*session // hex SHA-256 of the token -> session
}

func newSessions(idle, maxAge time.Duration) *sessions {
	return &sessions{idle: idle, maxAge: maxAge, byID: map[string]*session{}}
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// create starts a session for u and returns its token.
func (ss *sessions) create(u *User, now time.Time) (string, *session, error) {
	token, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	s := &session{officerID: u.ID, country: u.Country, csrf: csrf, created: now, lastSeen: now}
	ss.mu.Lock()
	ss.byID[tokenKey(token)] = s
	ss.mu.Unlock()
	return token, s, nil
}

// get returns the live session of token and marks it seen, or nil.
func (ss *sessions) get(token string, now time.Time) *session {
	if token == "" {
		return nil
	}
	k := tokenKey(token)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.byID[k]
	if !ok {
		return nil
	}
	if ss.expired(s, now) {
		delete(ss.byID, k)
		return nil
	}
	s.lastSeen = now
	// A copy: callers read it without the lock.
	c := *s
	return &c
}

// alive reports whether token's session still exists, without marking it seen: a live
// stream checks it so that logging out ends the stream.
func (ss *sessions) alive(token string, now time.Time) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.byID[tokenKey(token)]
	return ok && !ss.expired(s, now)
}

func (ss *sessions) expired(s *session, now time.Time) bool {
	return now.Sub(s.lastSeen) > ss.idle || now.Sub(s.created) > ss.maxAge
}

// end removes token's session.
func (ss *sessions) end(token string) {
	ss.mu.Lock()
	delete(ss.byID, tokenKey(token))
	ss.mu.Unlock()
}

// sweep removes expired sessions and returns them.
func (ss *sessions) sweep(now time.Time) []session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var out []session
	for k, s := range ss.byID {
		if ss.expired(s, now) {
			out = append(out, *s)
			delete(ss.byID, k)
		}
	}
	return out
}

// csrfOK compares a presented CSRF token with the session's in constant time.
func (s *session) csrfOK(presented string) bool {
	return presented != "" && subtle.ConstantTimeCompare([]byte(presented), []byte(s.csrf)) == 1
}

// loginLimiter refuses logins to an account after too many recent failures, so a password
// cannot be guessed online. Only existing account ids are tracked.
type loginLimiter struct {
	max    int
	window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, failures: map[string][]time.Time{}}
}

// blocked reports whether id has had max failures within the window before now.
func (l *loginLimiter) blocked(id string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(id, now)) >= l.max
}

func (l *loginLimiter) fail(id string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[id] = append(l.recent(id, now), now)
}

func (l *loginLimiter) succeed(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, id)
}

// recent drops failures older than the window. Caller holds l.mu.
func (l *loginLimiter) recent(id string, now time.Time) []time.Time {
	fs := l.failures[id]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) > l.window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, id)
		return nil
	}
	l.failures[id] = fs
	return fs
}
