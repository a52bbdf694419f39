//! Prints what one generated call costs next to a hand-written reqwest + serde call doing the
//! same request, against one loopback server, and the ratio (the "Cost" target of issue 11).
//!
//! A benchmark, not a test: `cargo bench -p client-tests --bench call_overhead [-- ROUNDS CALLS]`
//! (default 400 rounds of 25 calls per side; `-- --only generated` or `--only hand-written`
//! runs one side, for `perf record`). Both calls run on one current-thread tokio runtime, so the
//! client's whole cost (request building, hyper's connection task, reading and decoding) is CPU
//! time of the main thread; the server runs on a thread of its own and answers both the same
//! way. The sides take turns round by round (A B, then B A) so machine noise and warm caches
//! hit both alike, and each round's ratio is reported with its spread.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_clients::visma_net::{self, types::TaskExtendedDto};
use api_clients::ClientConfig;
use reqwest::header::ACCEPT;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "bench-token-7c1e";
const USER_AGENT: &str = "call-overhead-bench/1.0";
const TASK_ID: i32 = 4711;

/// What the cost figures are for: the `api-clients` features this benchmark is built with
/// (client-tests' dependency turns on the defaults plus `blocking` and `mock`).
const FEATURES: &str = "api-clients default features (account_tasks, projector, visma_net: oauth2-runtime, \
                        paging-runtime, background-runtime) + blocking + mock; no `tracing` feature exists yet";

/// A task as `GET /v1/projecttask/{internalId}` answers it: every field of `TaskExtendedDto`
/// set, three employees with contact and address, a few attributes (about 4 KB).
fn task_body() -> String {
    let employee = |n: u32| {
        serde_json::json!({
            "employeeUserId": format!("6f1c2e4a-0b7d-4c1e-9a3f-00000000{n:04}"),
            "employeeId": n,
            "employeeNumber": format!("E{n:04}"),
            "employeeName": format!("Employee Number {n}"),
            "status": "Active",
            "department": "CONSULTING",
            "contact": {
                "employeeContact": "Kari Nordmann", "title": "Ms", "firstName": "Kari", "midName": "Ola",
                "lastName": "Nordmann", "phone3": "+47 22 00 00 03", "contactId": 9000 + n,
                "name": "Kari Nordmann", "attention": "Projects", "email": format!("e{n}@example.test"),
                "web": "https://example.test", "phone1": "+47 22 00 00 01", "phone2": "+47 22 00 00 02",
                "fax": "+47 22 00 00 09"
            },
            "address": {
                "addressId": 7000 + n, "addressLine1": "Karl Johans gate 1", "addressLine2": "3rd floor",
                "addressLine3": "c/o Projects", "postalCode": "0154", "city": "Oslo",
                "country": { "id": "NO", "name": "Norway", "errorInfo": "", "metadata": { "totalCount": 1, "maxPageSize": 500 } },
                "county": { "id": "03", "name": "Oslo" }
            },
            "lastModifiedDateTime": "2024-03-05T10:15:30.123",
            "employeeClass": { "id": "EMPL", "description": "Employees" },
            "branch": { "number": "1", "name": "Main branch" },
            "calendarID": "STANDARD",
            "employeeLogin": format!("employee{n}"),
            "workGroupDescription": ["Project staff", "Consultants"],
            "timeStamp": "AAAAAAAB9mU=",
            "errorInfo": "",
            "metadata": { "totalCount": 3, "maxPageSize": 500 }
        })
    };
    let attribute = |n: u32| serde_json::json!({ "id": format!("ATTR{n}"), "value": format!("value {n}"), "description": "A task attribute" });
    serde_json::json!({
        "internalId": TASK_ID,
        "projectInternalId": 815,
        "defAccount": { "type": "Expense", "number": "4000", "description": "Cost of goods sold" },
        "defSub": { "active": true, "id": "000-000", "description": "Default subaccount" },
        "defAccrualAccount": { "type": "Liability", "number": "2900", "description": "Accruals" },
        "defAccrualSub": { "active": true, "id": "100-200", "description": "Accrual subaccount" },
        "taxCategory": { "number": "HIGH", "description": "High rate" },
        "lastModifiedDateTime": "2024-03-05T10:15:30.123",
        "createdDateTime": "2023-12-31T23:59:59",
        "taskId": "T-0042",
        "description": "Design and implementation of the integration",
        "plannedStart": "2024-02-01T08:30:00+01:00",
        "plannedEnd": "2024-06-30T16:00:00+02:00",
        "startDate": "2024-02-01",
        "endDate": "2024-06-30",
        "branch": { "number": "1", "name": "Main branch" },
        "rateTable": { "id": "STD", "description": "Standard rates" },
        "status": "Active",
        "restrictEmployees": false,
        "visibility": {
            "visibleInGl": true, "visibleInAp": true, "visibleInAr": true, "visibleInSo": false, "visibleInPo": false,
            "visibleInEa": true, "visibleInTa": true, "visibleInIn": false, "visibleInCa": true, "visibleInCr": false
        },
        "timeStamp": "AAAAAAAB9mU=",
        "employees": [employee(1), employee(2), employee(3)],
        "attributes": [attribute(1), attribute(2), attribute(3), attribute(4)]
    })
    .to_string()
}

/// The whole answer: the headers Visma sends (rate limits, ETag, ...) and the body.
fn answer(body: &str) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nPragma: no-cache\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nExpires: -1\r\nETag: \"AAAAAAAB9mU=\"\r\nServer: Microsoft-IIS/10.0\r\n\
         X-RateLimit-Limit: 1000\r\nX-RateLimit-Remaining: 998\r\nX-RateLimit-Reset: 1717171717\r\n\
         ipp-request-id: 3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\r\nStrict-Transport-Security: max-age=31536000\r\n\
         X-Content-Type-Options: nosniff\r\nDate: Tue, 05 Mar 2024 10:15:30 GMT\r\n\r\n",
        body.len()
    );
    [head.as_bytes(), body.as_bytes()].concat()
}

/// A keep-alive HTTP/1.1 server on loopback answering every request with the same bytes. One
/// thread (a current-thread tokio runtime) serves both connections, so both sides meet the same
/// server thread wherever the scheduler puts it: with a thread per connection, one side could
/// share a CPU with its server thread and the other not, and their costs drifted apart by 3x
/// for minutes. It keeps the first request head of each connection, to compare the requests.
struct Server {
    base_url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(answer: Vec<u8>) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.set_nonblocking(true).expect("a nonblocking listener");
        let base_url = format!("http://{}", listener.local_addr().expect("a bound listener has an address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let kept = Arc::clone(&heads);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().expect("a server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, Arc::clone(&answer), Arc::clone(&kept)));
                }
            });
        });
        Server { base_url, heads }
    }
}

async fn serve(mut stream: tokio::net::TcpStream, answer: Arc<Vec<u8>>, heads: Arc<Mutex<Vec<String>>>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut first = true;
    loop {
        // A GET has no body: a request ends with its head.
        let end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        if first {
            heads
                .lock()
                .expect("no thread panics holding it")
                .push(String::from_utf8_lossy(&buffer[..end]).into_owned());
            first = false;
        }
        buffer.drain(..end);
        if stream.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// The generated client's call.
async fn generated(client: &visma_net::Client) -> TaskExtendedDto {
    let answer = client.project_task().get_task_by_internal_id(TASK_ID).send().await.expect("the generated call");
    answer.body.into_ok().expect("a 200 answer")
}

/// The same request written by hand: reqwest with the same settings (user agent, a 60 s
/// timeout like the generated client's default) and serde_json into the same type.
async fn hand_written(client: &reqwest::Client, base_url: &str) -> TaskExtendedDto {
    let response = client
        .get(format!("{base_url}/v1/projecttask/{TASK_ID}"))
        .header(ACCEPT, "application/json")
        .bearer_auth(TOKEN)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the hand-written call");
    // What reqwest's `json()` does (that needs its `json` feature, which the generated crate
    // does not turn on): the whole body, then serde_json.
    let body = response.bytes().await.expect("the hand-written body");
    serde_json::from_slice(&body).expect("the hand-written decode")
}

/// CPU time of the calling thread (where the current-thread runtime runs every client task).
fn thread_cpu() -> Duration {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `time` is a valid out-pointer; the clock id is a constant the kernel knows.
    let result = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(result, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

/// CPU time of the whole process, the server threads included (user + system).
fn process_cpu() -> Duration {
    // SAFETY: an all-zero `rusage` is a valid value for the kernel to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid out-pointer.
    let result = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(result, 0, "getrusage(RUSAGE_SELF)");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Per-call cost of one side in one round, in microseconds.
#[derive(Clone, Copy)]
struct Sample {
    thread_cpu: f64,
    process_cpu: f64,
    wall: f64,
}

/// Reads one figure of a [`Sample`].
type Figure = fn(&Sample) -> f64;

/// Runs `calls` calls of one side and returns its per-call cost.
fn measure<F: std::future::Future<Output = TaskExtendedDto>>(
    runtime: &tokio::runtime::Runtime,
    calls: u32,
    mut call: impl FnMut() -> F,
) -> Sample {
    runtime.block_on(async {
        let (cpu, process, wall) = (thread_cpu(), process_cpu(), Instant::now());
        for _ in 0..calls {
            std::hint::black_box(call().await);
        }
        let per_call = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(calls);
        Sample {
            thread_cpu: per_call(thread_cpu() - cpu),
            process_cpu: per_call(process_cpu() - process),
            wall: per_call(wall.elapsed()),
        }
    })
}

/// The value at quantile `q` (0..=1) of sorted `values`, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values
}

/// Header lines of a request head, lowercased names, sorted: the request line and header
/// order may differ, the set of headers may not.
fn header_set(head: &str) -> Vec<String> {
    let mut lines: Vec<String> = head
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) => format!("{}:{}", name.to_ascii_lowercase(), value),
            None => line.to_owned(),
        })
        .collect();
    lines.sort();
    lines
}

/// The command line: `[ROUNDS [CALLS]] [--only generated|hand-written]`.
struct Options {
    rounds: u32,
    calls: u32,
    /// Runs one side only, for a profiler (`perf record`) to see where its time goes.
    only: Option<String>,
}

fn options() -> Options {
    let usage = "usage: call_overhead [ROUNDS [CALLS]] [--only generated|hand-written]";
    let mut numbers = Vec::new();
    let mut only = None;
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    while let Some(arg) = args.next() {
        if arg == "--only" {
            only = Some(args.next().filter(|side| side == "generated" || side == "hand-written").expect(usage));
        } else {
            numbers.push(arg.parse::<u32>().unwrap_or_else(|_| panic!("{usage}, not `{arg}`")).max(1));
        }
    }
    Options { rounds: numbers.first().copied().unwrap_or(400), calls: numbers.get(1).copied().unwrap_or(25), only }
}

fn main() {
    let Options { rounds, calls, only } = options();
    let body = task_body();
    // Every field of the body is one the type knows: it decodes and encodes back unchanged,
    // so both sides decode all of it.
    let decoded: TaskExtendedDto = serde_json::from_str(&body).expect("the body is a TaskExtendedDto");
    assert_eq!(
        serde_json::to_value(&decoded).expect("a DTO encodes"),
        serde_json::from_str::<serde_json::Value>(&body).expect("the body is JSON"),
        "the body has a field TaskExtendedDto does not know"
    );
    let server = Server::start(answer(&body));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let config = ClientConfig::new().base_url(&server.base_url).bearer_token(TOKEN).user_agent(USER_AGENT);
    let generated_client = visma_net::Client::new(config).expect("a loopback configuration");
    let hand_client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a reqwest client");
    let base_url = server.base_url.clone();
    let run_generated = || measure(&runtime, calls, || generated(&generated_client));
    let run_hand_written = || measure(&runtime, calls, || hand_written(&hand_client, &base_url));

    if let Some(side) = only {
        let run = if side == "generated" { &run_generated as &dyn Fn() -> Sample } else { &run_hand_written };
        let samples = sorted((0..rounds).map(|_| run().thread_cpu));
        println!(
            "{side}: {} calls, client thread CPU µs per call: median {:.2}",
            rounds * calls,
            quantile(&samples, 0.5)
        );
        return;
    }

    // Warm up (connections, allocator, caches), then check that both sent the same request.
    for _ in 0..10 {
        std::hint::black_box((run_generated(), run_hand_written()));
    }
    let heads = server.heads.lock().expect("no thread panics holding it").clone();
    assert_eq!(heads.len(), 2, "one keep-alive connection per side: {heads:#?}");
    assert_eq!(header_set(&heads[0]), header_set(&heads[1]), "the two sides send different requests");

    println!(
        "call_overhead: GET /v1/projecttask/{{internalId}} on loopback, {} byte JSON body into TaskExtendedDto",
        body.len()
    );
    println!("built with: {FEATURES}");
    println!(
        "request sent by both sides (same headers, checked):\n    {}",
        heads[0].trim_end().replace("\r\n", "\n    ")
    );
    println!("{rounds} rounds of {calls} calls per side, sides alternating (A B, B A, ...)");
    // Short rounds, so that a burst of load from elsewhere falls on both sides of a round.
    let samples: Vec<(Sample, Sample)> = (0..rounds)
        .map(|round| {
            if round % 2 == 0 {
                let a = run_generated();
                (a, run_hand_written())
            } else {
                let b = run_hand_written();
                (run_generated(), b)
            }
        })
        .collect();

    let rows: [(&str, Figure); 3] = [
        ("client thread CPU µs", |s| s.thread_cpu),
        ("process CPU µs (w/ server)", |s| s.process_cpu),
        ("wall µs", |s| s.wall),
    ];
    let groups = rounds.div_ceil(10).max(1) as usize;
    println!(
        "\nmedians per group of {groups} rounds, µs per call: client thread CPU generated / hand-written (ratio), wall"
    );
    for (index, group) in samples.chunks(groups).enumerate() {
        let median = |f: Figure, side: fn(&(Sample, Sample)) -> &Sample| {
            quantile(&sorted(group.iter().map(|pair| f(side(pair)))), 0.5)
        };
        let (a, b) = (median(rows[0].1, |p| &p.0), median(rows[0].1, |p| &p.1));
        let (wa, wb) = (median(rows[2].1, |p| &p.0), median(rows[2].1, |p| &p.1));
        println!(
            "  rounds {:>4}..{:<4} {a:>8.2} / {b:>8.2} ({:.3})   wall {wa:>8.2} / {wb:>8.2}",
            index * groups,
            index * groups + group.len(),
            a / b
        );
    }

    println!(
        "\nmedian per call            generated   hand-written   ratio of medians   per-round ratio: median [p10 p90]"
    );
    for (name, f) in rows {
        let a = quantile(&sorted(samples.iter().map(|pair| f(&pair.0))), 0.5);
        let b = quantile(&sorted(samples.iter().map(|pair| f(&pair.1))), 0.5);
        let r = sorted(samples.iter().map(|(a, b)| f(a) / f(b)));
        println!(
            "{name:<26} {a:>10.2} {b:>14.2} {:>18.3}   {:.3} [{:.3} {:.3}]",
            a / b,
            quantile(&r, 0.5),
            quantile(&r, 0.1),
            quantile(&r, 0.9)
        );
    }
    let cpu = quantile(&sorted(samples.iter().map(|(a, b)| a.thread_cpu / b.thread_cpu)), 0.5);
    let verdict = if cpu <= 1.05 { "within" } else { "above" };
    println!("generated / hand-written client CPU per call: {cpu:.3}x, {verdict} the 1.05x target");
}
