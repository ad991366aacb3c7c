package gateway

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
)

// abortTimeout bounds aborting a failed transaction before its producer is discarded.
const abortTimeout = 5 * time.Second

// txnProducer writes each submission in one Kafka transaction, so a submission of several
// manifests is visible to read_committed consumers (the matcher) entirely or not at all. It
// holds a fixed pool of transactional clients, one open transaction each.
//
// A client whose transaction cannot be ended cleanly is closed and replaced: its successor
// registers the same transactional id, which bumps the producer epoch and makes the
// coordinator abort whatever the old one left open. Safe for concurrent use.
type txnProducer struct {
	newClient func(txnID string) (*kgo.Client, error)
	timeout   time.Duration
	log       *zap.Logger

	slots   chan *txnSlot
	done    chan struct{}  // closed by close: no new submissions
	closing sync.WaitGroup // clients being closed in the background
}

// txnSlot is one transactional id and its current client (nil until first use, and after a
// failure discarded it).
type txnSlot struct {
	txnID string
	cl    *kgo.Client
}

func newTxnProducer(n int, prefix string, timeout time.Duration, newClient func(txnID string) (*kgo.Client, error), log *zap.Logger) *txnProducer {
	p := &txnProducer{newClient: newClient, timeout: timeout, log: log, slots: make(chan *txnSlot, n), done: make(chan struct{})}
	for i := range n {
		p.slots <- &txnSlot{txnID: prefix + "-" + strconv.Itoa(i)}
	}
	return p
}

// errProducerClosed is returned for a submission that arrives while the gateway shuts down.
var errProducerClosed = errors.New("producers are closed")

// errAmbiguousCommit marks a commit whose outcome is unknown: the client is answered 503 and
// retries; if the commit did land, the retry is a duplicate with the same ids.
var errAmbiguousCommit = errors.New("transaction commit outcome unknown")

// produce writes recs in one transaction and returns once it is committed. ctx bounds
// waiting for a free producer and for the records' acknowledgements; committing has its own
// bound of the same length and is not cut short by ctx, because a commit interrupted
// half-way leaves its outcome unknown.
func (p *txnProducer) produce(ctx context.Context, recs []*kgo.Record) error {
	var s *txnSlot
	select {
	case s = <-p.slots:
	case <-p.done:
		return errProducerClosed
	case <-ctx.Done():
		return fmt.Errorf("waiting for a free producer: %w", ctx.Err())
	}
	defer func() { p.slots <- s }()
	if s.cl == nil {
		cl, err := p.newClient(s.txnID)
		if err != nil {
			return fmt.Errorf("creating transactional producer %s: %w", s.txnID, err)
		}
		s.cl = cl
	}
	if err := s.cl.BeginTransaction(); err != nil {
		p.discard(s)
		return fmt.Errorf("beginning a transaction on %s: %w", s.txnID, err)
	}
	if err := s.cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		p.abort(s)
		return fmt.Errorf("producing %d records on %s: %w", len(recs), s.txnID, err)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.timeout)
	defer cancel()
	if err := s.cl.EndTransaction(cctx, kgo.TryCommit); err != nil {
		// kgo: after an unconfirmed commit, retry with TryAbort; it fences anything still open
		// broker-side. After any other commit error the broker's state is unknown, so the
		// client is replaced either way: its successor's InitProducerID aborts a transaction
		// left open. If the commit had landed, nothing can undo it: hence "ambiguous".
		actx, acancel := context.WithTimeout(context.Background(), abortTimeout)
		defer acancel()
		if aerr := s.cl.EndTransaction(actx, kgo.TryAbort); aerr != nil {
			p.log.Warn("aborting after a failed commit failed", zap.String("transactional_id", s.txnID), zap.Error(aerr))
		}
		p.discard(s)
		return fmt.Errorf("committing the transaction on %s: %w: %w", s.txnID, errAmbiguousCommit, err)
	}
	return nil
}

// abort aborts the slot's open transaction, discarding the client when that fails.
func (p *txnProducer) abort(s *txnSlot) {
	ctx, cancel := context.WithTimeout(context.Background(), abortTimeout)
	defer cancel()
	err := s.cl.AbortBufferedRecords(ctx)
	if err == nil {
		err = s.cl.EndTransaction(ctx, kgo.TryAbort)
	}
	if err != nil {
		p.log.Warn("aborting a transaction failed; replacing the producer", zap.String("transactional_id", s.txnID), zap.Error(err))
		p.discard(s)
	}
}

// discard closes the slot's client in the background; the next use creates a new one.
func (p *txnProducer) discard(s *txnSlot) {
	cl := s.cl
	s.cl = nil
	p.closing.Add(1)
	go func() {
		defer p.closing.Done()
		cl.Close()
	}()
}

// close waits for every in-flight submission, then closes every client. Any transaction
// left open (none, unless a submission is stuck) is aborted by the coordinator on timeout.
func (p *txnProducer) close() {
	close(p.done)
	for range cap(p.slots) {
		s := <-p.slots
		if s.cl != nil {
			s.cl.Close()
			s.cl = nil
		}
	}
	p.closing.Wait()
}
