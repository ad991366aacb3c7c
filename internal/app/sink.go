package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/consumers"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// SinkConfig configures the analytics sink service.
type SinkConfig struct {
	Kafka  Kafka
	Group  string // consumer group; default "watchpost-sink"
	Serde  *schemas.Serde
	Sink   *sink.Sink
	Retry  engine.RetryConfig
	Logger *zap.Logger
}

// RunSink copies screenings and alerts into ClickHouse until ctx ends. Offsets are committed
// only after the batch is written; a redelivered batch collapses in ClickHouse by id.
// Undecodable records are dead-lettered, never retried.
func RunSink(ctx context.Context, cfg SinkConfig) error {
	if cfg.Group == "" {
		cfg.Group = "watchpost-sink"
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Serde == nil || cfg.Sink == nil {
		return errors.New("sink: serde and sink are required")
	}
	ts := cfg.Kafka.Topics
	pcl, err := cfg.Kafka.Producer()
	if err != nil {
		return err
	}
	defer pcl.Close()
	dlq, err := producers.NewEmitter(pcl, cfg.Serde, producers.Topics{
		Screenings: ts.Name(deploy.RoleScreenings), Alerts: ts.Name(deploy.RoleAlerts), DeadLetters: ts.Name(deploy.RoleDeadLetters),
	})
	if err != nil {
		return err
	}
	h := &sinkHandler{cfg: cfg, dlq: dlq, log: cfg.Logger.Named("sink"),
		screenings: ts.Name(deploy.RoleScreenings), alerts: ts.Name(deploy.RoleAlerts),
		outcomes: ts.Name(deploy.RoleOutcomes), audit: ts.Name(deploy.RoleAudit)}
	group, err := consumers.NewGroup(consumers.Config{
		Brokers: cfg.Kafka.Brokers, Group: cfg.Group,
		Topics:  []string{h.screenings, h.alerts, h.outcomes, h.audit},
		Handler: h, Opts: cfg.Kafka.Opts, Logger: cfg.Logger,
	})
	if err != nil {
		return err
	}
	return group.Run(ctx)
}

type sinkHandler struct {
	cfg                SinkConfig
	dlq                engine.Emitter
	log                *zap.Logger
	screenings, alerts string
	outcomes, audit    string
}

// HandleBatch decodes one partition's batch and writes it in one ClickHouse batch, retrying
// transient failures with a bounded backoff; exhausted retries are fatal (offsets held).
func (h *sinkHandler) HandleBatch(ctx context.Context, msgs []*engine.Message) error {
	var screenings []event.Screening
	var alerts []event.Alert
	var outcomes []sink.Outcome
	var audit []sink.AuditEntry
	var dead engine.Output
	for _, m := range msgs {
		var err error
		switch m.Topic {
		case h.screenings:
			var s *event.Screening
			if s, err = h.cfg.Serde.DecodeScreening(m.Value); err == nil {
				screenings = append(screenings, *s)
			}
		case h.alerts:
			var a *event.Alert
			if a, err = h.cfg.Serde.DecodeAlert(m.Value); err == nil {
				alerts = append(alerts, *a)
			}
		case h.outcomes:
			var o *event.Outcome
			if o, err = h.cfg.Serde.DecodeOutcome(m.Value); err == nil {
				outcomes = append(outcomes, sink.Outcome{HitID: o.HitID, Decision: sink.Decision(o.Decision), ReasonCode: o.ReasonCode,
					OfficerID: o.OfficerID, Country: o.Country, DecidedAt: o.DecidedAt})
			}
		case h.audit:
			var a *event.AuditEvent
			if a, err = h.cfg.Serde.DecodeAuditEvent(m.Value); err == nil {
				audit = append(audit, auditEntry(a))
			}
		default:
			err = fault.Poison(fmt.Errorf("no decoder for topic %s", m.Topic))
		}
		if err != nil {
			h.log.Warn("dead-lettering undecodable record", zap.String("topic", m.Topic),
				zap.Int32("partition", m.Partition), zap.Int64("offset", m.Offset), zap.Error(err))
			dead.DeadLetters = append(dead.DeadLetters, event.DeadLetter{
				Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Key: m.Key, Value: m.Value,
				ErrorClass: fault.Class(err), Error: err.Error(), FailedAt: time.Now().UTC(),
			})
		}
	}
	write := engine.ProcessorFunc(func(ctx context.Context, _ *engine.Message) (engine.Output, error) {
		if len(screenings) > 0 {
			if err := h.cfg.Sink.WriteScreenings(ctx, screenings); err != nil {
				return engine.Output{}, err
			}
		}
		if len(alerts) > 0 {
			if err := h.cfg.Sink.WriteAlerts(ctx, alerts); err != nil {
				return engine.Output{}, err
			}
		}
		if len(outcomes) > 0 {
			if err := h.cfg.Sink.WriteOutcomes(ctx, outcomes); err != nil {
				return engine.Output{}, err
			}
		}
		if len(audit) > 0 {
			if err := h.cfg.Sink.WriteAudit(ctx, audit); err != nil {
				return engine.Output{}, err
			}
		}
		return engine.Output{}, nil
	})
	if _, err := engine.Retry(h.cfg.Retry)(write).Process(ctx, msgs[0]); err != nil {
		return fmt.Errorf("writing %d screenings and %d alerts: %w", len(screenings), len(alerts), err)
	}
	if !dead.Empty() {
		return h.dlq.Emit(ctx, dead)
	}
	return nil
}

// auditEntry maps an audit event to its audit row. A partner check is a partner's action:
// its officer_id holds the partner id and its hit_id the check id. Every other action is an
// officer's.
func auditEntry(a *event.AuditEvent) sink.AuditEntry {
	kind := sink.ActorOfficer
	if a.Action == event.AuditPartnerCheck {
		kind = sink.ActorPartner
	}
	return sink.AuditEntry{ID: a.ID, ActorID: a.OfficerID, ActorKind: kind, Action: sink.AuditAction(a.Action),
		ObjectID: a.HitID, Result: a.Result, Country: a.Country, At: a.At}
}
