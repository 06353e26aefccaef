// The attendance form's taps. Every tap is written to localStorage first, then sent through the Blazor circuit;
// the server's acknowledgement removes it. While the connection is down (the browser is offline, or the circuit is
// reconnecting) taps stay in the queue and show as pending; they are sent, oldest first, when the connection is back
// or when a new circuit starts the form again (after a reload). The server treats a replay as a no-op.

const storagePrefix = 'livesessions.attendance.v1';
const retryEveryMs = 5000;
const sendTimeoutMs = 15000;

let current = null;

export function init(root, dotnet, options) {
    dispose();
    current = new AttendanceTaps(root, dotnet, options);
    current.start();
}

/** Sends what is queued (the server awaits it before "mark all remaining" or completing the session). */
export function flush() {
    return current ? current.send() : Promise.resolve();
}

export function dispose() {
    if (current) {
        current.stop();
        current = null;
    }
}

function connectionIsUp() {
    const connection = window.liveSessionsConnection;
    return navigator.onLine && (!connection || connection.isUp());
}

function newTapId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function' && window.isSecureContext) {
        return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
}

class AttendanceTaps {
    constructor(root, dotnet, options) {
        this.root = root;
        this.dotnet = dotnet;
        this.key = `${storagePrefix}:${options.sessionId}:${options.user}`;
        // Tap times are stamped on the server's clock, so "the later mark wins" compares like with like.
        this.clockOffset = Math.round(options.serverNow - Date.now());
        this.memory = [];
        this.sending = null;
        this.onClick = this.onClick.bind(this);
        this.onConnection = this.onConnection.bind(this);
    }

    start() {
        this.root.addEventListener('click', this.onClick);
        window.addEventListener('livesessions:connection', this.onConnection);
        this.observer = new MutationObserver(() => this.showPending());
        this.observer.observe(this.root, { childList: true, subtree: true });
        this.timer = window.setInterval(() => {
            if (this.read().length > 0) {
                this.send();
            }
        }, retryEveryMs);
        this.showPending();
        // Taps kept by an earlier page (a reload, a server restart) go first.
        if (this.read().length > 0) {
            this.sendThenRefresh();
        }
    }

    stop() {
        this.root.removeEventListener('click', this.onClick);
        window.removeEventListener('livesessions:connection', this.onConnection);
        if (this.observer) {
            this.observer.disconnect();
        }
        window.clearInterval(this.timer);
    }

    onClick(event) {
        const button = event.target.closest('button[data-tap]');
        if (!button || button.disabled || !this.root.contains(button)) {
            return;
        }
        const row = button.closest('[data-learner-id]');
        if (!row) {
            return;
        }
        const tap = {
            id: newTapId(),
            learnerId: Number(row.dataset.learnerId),
            attended: button.dataset.tap === 'attended',
            tappedAt: Math.round(Date.now() + this.clockOffset),
        };
        // Only the last intent for a learner matters: a newer tap replaces an older one still waiting.
        this.write(this.read().filter(t => t.learnerId !== tap.learnerId).concat([tap]));
        this.showPending();
        this.send();
    }

    onConnection(event) {
        this.showPending();
        if (event.detail && event.detail.up) {
            this.sendThenRefresh();
        }
    }

    async sendThenRefresh() {
        await this.send();
        if (connectionIsUp()) {
            try {
                await this.dotnet.invokeMethodAsync('RefreshAsync');
            } catch {
                // The connection dropped again; the next reconnect refreshes.
            }
        }
    }

    send() {
        if (!this.sending) {
            this.sending = this.sendQueued().finally(() => {
                this.sending = null;
                this.showPending();
            });
        }
        return this.sending;
    }

    async sendQueued() {
        while (connectionIsUp()) {
            const batch = this.read();
            if (batch.length === 0) {
                return;
            }
            let acks;
            try {
                acks = await withTimeout(this.dotnet.invokeMethodAsync('SaveTapsAsync', batch), sendTimeoutMs);
            } catch {
                return; // kept: sent again on reconnect or by the retry timer
            }
            const done = new Set(acks.filter(a => a.done).map(a => a.id));
            this.write(this.read().filter(t => !done.has(t.id)));
            this.showPending();
            if (done.size < batch.length) {
                return; // the server could not save some now: retry later rather than spin
            }
        }
    }

    read() {
        try {
            const raw = window.localStorage.getItem(this.key);
            return raw ? JSON.parse(raw) : [];
        } catch {
            return this.memory;
        }
    }

    write(taps) {
        this.memory = taps;
        try {
            if (taps.length === 0) {
                window.localStorage.removeItem(this.key);
            } else {
                window.localStorage.setItem(this.key, JSON.stringify(taps));
            }
        } catch {
            // Storage full or disabled: the taps live in memory for this page.
        }
    }

    /** Marks the rows with a tap waiting; Blazor never renders these attributes, so its renders leave them alone. */
    showPending() {
        const waiting = new Map(this.read().map(t => [String(t.learnerId), t]));
        for (const row of this.root.querySelectorAll('[data-learner-id]')) {
            const tap = waiting.get(row.dataset.learnerId);
            const mark = tap ? (tap.attended ? 'attended' : 'absent') : null;
            if (mark && row.dataset.pending !== mark) {
                row.dataset.pending = mark;
            } else if (!mark && row.dataset.pending !== undefined) {
                delete row.dataset.pending;
            }
            const note = row.querySelector('[data-att-pending]');
            const text = mark ? `Pending: ${mark === 'attended' ? 'Attended' : 'Absent'}` : '';
            if (note && note.textContent !== text) {
                note.textContent = text;
            }
        }
        const queue = this.root.querySelector('[data-att-queue]');
        if (queue) {
            const n = waiting.size;
            const text = n === 0 ? '' : connectionIsUp()
                ? `Sending ${n} ${n === 1 ? 'mark' : 'marks'}…`
                : `${n} ${n === 1 ? 'mark' : 'marks'} kept on this device, sent when the connection is back`;
            if (queue.textContent !== text) {
                queue.textContent = text;
            }
        }
    }
}

function withTimeout(promise, ms) {
    return new Promise((resolve, reject) => {
        const timer = window.setTimeout(() => reject(new Error('timeout')), ms);
        promise.then(
            value => { window.clearTimeout(timer); resolve(value); },
            error => { window.clearTimeout(timer); reject(error); });
    });
}
