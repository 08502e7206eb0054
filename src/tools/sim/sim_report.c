/* sim_report.c - merging and printing simulator reports (sim_report.h). */
#include "sim_report.h"

#include <inttypes.h>
#include <string.h>

static const char *const counter_names[] = {
#define SIM_NAME(name, text) #name,
    SIM_COUNTER_LIST(SIM_NAME)
#undef SIM_NAME
};
static const char *const counter_texts[] = {
#define SIM_TEXT(name, text) text,
    SIM_COUNTER_LIST(SIM_TEXT)
#undef SIM_TEXT
};
static const char *const error_names[] = {
#define SIM_NAME(name, text) #name,
    SIM_ERROR_LIST(SIM_NAME)
#undef SIM_NAME
};
static const char *const error_texts[] = {
#define SIM_TEXT(name, text) text,
    SIM_ERROR_LIST(SIM_TEXT)
#undef SIM_TEXT
};

void sim_report_init(sim_report *r)
{
    memset(r, 0, sizeof *r);
    sim_hist_reset(&r->latency);
    r->procs = 1;
}

void sim_report_merge(sim_report *into, const sim_report *from)
{
    for (int i = 0; i < SIM_C__COUNT; i++)
        into->counters[i] += from->counters[i];
    for (int i = 0; i < SIM_E__COUNT; i++)
        into->errors[i] += from->errors[i];
    into->window_acks += from->window_acks;
    into->acks_per_s += from->acks_per_s;
    if (from->window_s > into->window_s)
        into->window_s = from->window_s;
    if (from->elapsed_s > into->elapsed_s)
        into->elapsed_s = from->elapsed_s;
    into->procs += from->procs;
    sim_hist_merge(&into->latency, &from->latency);
}

uint64_t sim_report_errors(const sim_report *r)
{
    uint64_t total = 0;
    for (int i = 0; i < SIM_E__COUNT; i++)
        total += r->errors[i];
    return total;
}

static const double percentiles[] = {50, 90, 99};

void sim_report_print_result(const sim_report *r, FILE *to)
{
    fputs("result", to);
    for (int i = 0; i < SIM_C__COUNT; i++)
        fprintf(to, " %s=%" PRIu64, counter_names[i], r->counters[i]);
    fprintf(to, " acks_per_s=%.0f window_s=%.1f elapsed_s=%.1f procs=%u", r->acks_per_s,
            r->window_s, r->elapsed_s, r->procs);
    for (size_t i = 0; i < sizeof percentiles / sizeof percentiles[0]; i++)
        fprintf(to, " p%.0f_us=%" PRIu64, percentiles[i],
                sim_hist_percentile(&r->latency, percentiles[i]));
    fprintf(to, " max_us=%" PRIu64 " errors=%" PRIu64, r->latency.max_us, sim_report_errors(r));
    for (int i = 0; i < SIM_E__COUNT; i++)
        fprintf(to, " err_%s=%" PRIu64, error_names[i], r->errors[i]);
    fputc('\n', to);
}

void sim_report_print(const sim_report *r, FILE *to)
{
    fprintf(to, "fleetwatch-sim report (%u process%s, %.1f s, window %.1f s)\n", r->procs,
            r->procs == 1 ? "" : "es", r->elapsed_s, r->window_s);
    for (int i = 0; i < SIM_C__COUNT; i++)
        fprintf(to, "  %-44s %" PRIu64 "\n", counter_texts[i], r->counters[i]);
    fprintf(to, "  %-44s %.0f\n", "acks per second in the window", r->acks_per_s);
    const sim_hist *h = &r->latency;
    fprintf(to, "  ack latency in the window (us): n=%" PRIu64, h->count);
    for (size_t i = 0; i < sizeof percentiles / sizeof percentiles[0]; i++)
        fprintf(to, " p%.0f=%" PRIu64, percentiles[i], sim_hist_percentile(h, percentiles[i]));
    fprintf(to, " max=%" PRIu64 " mean=%.0f\n", h->max_us,
            h->count ? (double)h->sum_us / (double)h->count : 0.0);
    fprintf(to, "  errors: %" PRIu64 "\n", sim_report_errors(r));
    for (int i = 0; i < SIM_E__COUNT; i++) {
        if (r->errors[i])
            fprintf(to, "    %-42s %" PRIu64 "\n", error_texts[i], r->errors[i]);
    }
    sim_report_print_result(r, to);
}
