// Replaces Blazor's blocking reconnect overlay with a small banner (the element #components-reconnect-modal in
// App.razor: Blazor then only toggles its classes and raises components-reconnect-state-changed on it), and tells
// the page when the connection goes down or comes back ("livesessions:connection"), counting the browser's own
// offline state as down.
(function () {
    let circuitUp = true;
    let phase = 'up';

    function banner() {
        return document.getElementById('components-reconnect-modal');
    }

    function isUp() {
        return circuitUp && navigator.onLine;
    }

    window.liveSessionsConnection = { isUp: isUp };

    const texts = {
        offline: 'You are offline.',
        show: 'Connection lost. Reconnecting…',
        retrying: 'Connection lost. Reconnecting…',
        paused: 'The connection is paused.',
        failed: 'Could not reconnect yet.',
        'resume-failed': 'Could not resume the connection. Reloading…',
        rejected: 'The server restarted. Reloading…',
    };

    function render() {
        const element = banner();
        if (!element) {
            return;
        }
        const shown = !navigator.onLine ? 'offline' : phase;
        element.classList.toggle('connection-banner-visible', shown !== 'up');
        element.dataset.state = shown;
        const text = element.querySelector('[data-connection-text]');
        if (text) {
            // A page that keeps work on the device while disconnected (the attendance form) says so.
            const keeper = document.querySelector('[data-offline-note]');
            const note = keeper && shown !== 'rejected' && shown !== 'resume-failed' ? ' ' + keeper.dataset.offlineNote : '';
            text.textContent = (texts[shown] || '') + note;
        }
        const retry = element.querySelector('[data-connection-retry]');
        if (retry) {
            retry.hidden = !(shown === 'failed' || shown === 'paused');
        }
    }

    function notify() {
        render();
        window.dispatchEvent(new CustomEvent('livesessions:connection', { detail: { up: isUp() } }));
    }

    async function retry() {
        if (!window.Blazor) {
            return;
        }
        try {
            if (phase === 'paused' && Blazor.resumeCircuit) {
                if (!(await Blazor.resumeCircuit())) {
                    location.reload();
                }
            } else if (Blazor.reconnect && !(await Blazor.reconnect())) {
                // The server answered but no longer knows this circuit: a new page starts a new one (and replays
                // what was kept on the device).
                location.reload();
            }
        } catch {
            // Still no connection: the banner stays, and the next retry (the button, coming online, waking up) tries again.
        }
    }

    function onStateChanged(event) {
        const state = event.detail && event.detail.state;
        const wasUp = circuitUp;
        phase = state === 'hide' ? 'up' : state;
        circuitUp = state === 'hide';
        if (state === 'rejected' || state === 'resume-failed') {
            render();
            location.reload();
            return;
        }
        if (wasUp !== circuitUp) {
            notify();
        } else {
            render();
        }
    }

    function attach() {
        const element = banner();
        if (!element || element.dataset.connectionAttached) {
            return;
        }
        element.dataset.connectionAttached = 'true';
        element.addEventListener('components-reconnect-state-changed', onStateChanged);
        const button = element.querySelector('[data-connection-retry]');
        if (button) {
            button.addEventListener('click', retry);
        }
        render();
    }

    // As Blazor's own UI does: a tablet woken up after the retries ran out tries again at once.
    document.addEventListener('visibilitychange', () => {
        if (phase === 'failed' && document.visibilityState === 'visible') {
            retry();
        }
    });

    window.addEventListener('offline', notify);
    window.addEventListener('online', () => {
        notify();
        if (phase === 'failed') {
            retry();
        }
    });

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', attach);
    } else {
        attach();
    }

    if (window.Blazor && Blazor.addEventListener) {
        Blazor.addEventListener('enhancedload', attach);
    }
})();
