// Small browser helpers the Blazor components call.
window.liveSessions = {
    submitForm: function (id) {
        var form = document.getElementById(id);
        if (form) { form.submit(); }
    },

    // Starts a download the server has ready, with the page's own cookie, without leaving the page.
    download: function (url) {
        var link = document.createElement('a');
        link.href = url;
        link.download = '';
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        link.remove();
    },

    // Puts the cursor in the first field of a dialog that has just opened, unless the person already chose a field:
    // on a slow connection the dialog shows a moment before this runs, and taking the cursor then would send the
    // rest of what they type into the wrong field.
    focusUnlessTyping: function (selector) {
        var active = document.activeElement;
        if (active && active.matches && active.matches('input, textarea, select, [contenteditable="true"]')) { return; }
        var target = document.querySelector(selector);
        if (target) { target.focus(); }
    }
};
