/* On the sign-out page (monitor/web/login_page.py): say how many of the quick-log's requests still wait on this phone
   for the person signing out, and forget who they were, so the next person on this phone is not taken for them. */
"use strict";
(() => {
  const PERSON_KEY = "quicklog-person";
  const warning = document.getElementById("quicklog-waiting");
  let person = null;
  try { person = (JSON.parse(localStorage.getItem(PERSON_KEY)) || {}).person; } catch (error) { person = null; }
  document.querySelector("form[action='/auth/logout']").addEventListener("submit", () => localStorage.removeItem(PERSON_KEY));
  if (!warning || person == null || !self.indexedDB) return;
  const opening = indexedDB.open("monitor-quicklog", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("outbox", { keyPath: "id" });
  opening.onsuccess = () => {
    const db = opening.result;
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => {
      const count = all.result.filter((entry) => entry.person === person).length;
      db.close();
      if (!count) return;
      warning.textContent = warning.dataset.text.replace("{count}", String(count));
      warning.hidden = false;
    };
  };
})();
