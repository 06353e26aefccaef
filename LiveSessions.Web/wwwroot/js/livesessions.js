// Small browser helpers the Blazor components call.
window.liveSessions = {
    submitForm: function (id) {
        var form = document.getElementById(id);
        if (form) { form.submit(); }
    }
};
