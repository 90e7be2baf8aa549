import {
  IdSchema,
  RegisterRequestSchema,
  SPECIAL_PATHS,
  registrationPath,
  type RegistrationForm,
  type RegistrationResult,
} from '@tandem/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ServiceError, type Services } from '../services/index.ts';
import { HttpError, invalid, STATUS_OF } from './errors.ts';
import { signInsPerAddress } from './rateLimit.ts';
import { authenticate, checkScope } from './routes.ts';
import { escapeHtml, page, WEB_APP_PATH } from './web.ts';

/** The page posts its own form, and loads nothing but the landing's stylesheet. */
const REGISTRATION_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CodeParams = z.object({ code: z.string().regex(/^[a-zA-Z0-9-]{4,16}$/) });
const MeetingParams = z.object({ meetingId: IdSchema });

/** Answers to the hosts' questions arrive as `q-<id>` fields. */
const ANSWER_FIELD = 'q-';

const when = (form: RegistrationForm): string =>
  form.startsAt === null
    ? ''
    : `<p>Starts <time datetime="${escapeHtml(form.startsAt)}">${escapeHtml(form.startsAt.replace('T', ' ').slice(0, 16))} UTC</time></p>`;

function formPage(code: string, form: RegistrationForm, error?: string, values: Record<string, string> = {}): string {
  const field = (id: string, label: string, type: string, required: boolean) =>
    `<p class="field"><label for="${id}">${escapeHtml(label)}${required ? ' (required)' : ''}</label><br>
<input id="${id}" name="${id}" type="${type}" ${required ? 'required' : ''} value="${escapeHtml(values[id] ?? '')}"></p>`;
  const alert = error === undefined ? '' : `<p class="note" role="alert">${escapeHtml(error)}</p>`;
  const body = !form.accepting
    ? `<p class="note" role="status">${form.full ? 'This webinar is full.' : 'Registration for this webinar is closed.'}</p>`
    : `${alert}<form method="post" action="${escapeHtml(registrationPath(code))}">
${field('name', 'Name', 'text', true)}
${field('email', 'E-mail', 'email', true)}
${form.questions.map((q) => field(`${ANSWER_FIELD}${q.id}`, q.label, 'text', q.required)).join('\n')}
<p class="actions"><button class="button primary" type="submit">Register</button></p>
</form>`;
  return page(
    `Register: ${form.title}`,
    `<h1>Register for ${escapeHtml(form.title)}</h1><p>A Tandem webinar.</p>${when(form)}${body}`,
  );
}

function confirmationPage(code: string, form: RegistrationForm, result: RegistrationResult): string {
  const calendar =
    result.ics === null
      ? ''
      : `<a class="button secondary" href="${escapeHtml(`${registrationPath(code)}/event.ics`)}">Add to calendar</a>`;
  const next =
    result.status === 'approved' && result.joinUrl !== null
      ? `<p>Your own join link (keep it to yourself):</p><p><a href="${escapeHtml(result.joinUrl)}">${escapeHtml(result.joinUrl)}</a></p>`
      : '<p>A host approves each registration: your join link comes with their approval.</p>';
  return page(
    `Registered: ${form.title}`,
    `<h1>You are registered</h1><p role="status">${escapeHtml(form.title)}: ${
      result.status === 'approved' ? 'your place is confirmed.' : 'your registration awaits approval.'
    }</p>${next}<div class="actions">${calendar}</div>`,
  );
}

/**
 * A webinar's public registration page (`/r/<code>`: a form with no script, posted to itself), its
 * ICS file, a registrant's link (`/w/<token>`: says whether it still works; joining is
 * `POST /registrations/join`), and the hosts' CSV of registrants and attendance.
 */
export function registerRegistration(
  app: FastifyInstance,
  s: Services,
  options: { readonly signInPerMinute: number },
): void {
  // The same budget per address as the JSON route's (and sign-in's): one counter for both.
  const perAddress = signInsPerAddress(s.cluster, options.signInPerMinute);
  const secure = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-security-policy', REGISTRATION_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8');
  const notFoundPage = (reply: FastifyReply) =>
    secure(reply)
      .code(404)
      .send(
        page('No such webinar', '<h1>No registration here</h1><p>Check the link, or ask the organiser for it.</p>'),
      );

  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get(SPECIAL_PATHS.registrationPage, async (request, reply) => {
      const params = CodeParams.safeParse(request.params);
      if (!params.success) return notFoundPage(reply);
      try {
        return secure(reply).send(formPage(params.data.code, await s.registration.form(params.data.code)));
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'not_found') return notFoundPage(reply);
        throw e;
      }
    });

    scope.post(SPECIAL_PATHS.registrationPage, async (request, reply) => {
      const params = CodeParams.safeParse(request.params);
      if (!params.success) return notFoundPage(reply);
      const code = params.data.code;
      const fields = z.record(z.string(), z.string()).safeParse(request.body);
      const values = fields.success ? fields.data : {};
      let form: RegistrationForm;
      try {
        form = await s.registration.form(code);
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'not_found') return notFoundPage(reply);
        throw e;
      }
      const answers = Object.fromEntries(
        Object.entries(values)
          .filter(([k, v]) => k.startsWith(ANSWER_FIELD) && v.trim() !== '')
          .map(([k, v]) => [k.slice(ANSWER_FIELD.length), v]),
      );
      const parsed = RegisterRequestSchema.safeParse({ name: values['name'], email: values['email'], answers });
      if (!parsed.success)
        return secure(reply)
          .code(400)
          .send(formPage(code, form, 'Give your name and a valid e-mail address.', values));
      try {
        await perAddress(request.ip);
        const result = await s.registration.register(code, parsed.data);
        return secure(reply)
          .code(201)
          .send(confirmationPage(code, form, result));
      } catch (e) {
        if (!(e instanceof ServiceError || e instanceof HttpError)) throw e;
        const message = e.issues?.map((i) => i.message).join('; ') ?? e.message;
        return secure(reply)
          .code(STATUS_OF[e.code])
          .send(formPage(code, form, `${message.charAt(0).toUpperCase()}${message.slice(1)}.`, values));
      }
    });
  });

  app.get(SPECIAL_PATHS.registrationIcs, async (request, reply) => {
    const params = CodeParams.safeParse(request.params);
    if (!params.success) throw invalid('params', params.error);
    const file = await s.registration.calendar(params.data.code);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`)
      .header('cache-control', 'no-store')
      .send(file.body);
  });

  app.get(SPECIAL_PATHS.registrantsCsv, async (request, reply) => {
    const caller = await authenticate(s, request);
    checkScope(caller, undefined, `GET ${SPECIAL_PATHS.registrantsCsv}`);
    const params = MeetingParams.safeParse(request.params);
    if (!params.success) throw invalid('params', params.error);
    const file = await s.registration.csv(caller, params.data.meetingId);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(file.body);
  });

  app.get<{ Params: { token: string } }>(SPECIAL_PATHS.registrantJoin, async (request, reply) => {
    const state = await s.registration.linkState(request.params.token);
    if (state.status === 'revoked')
      return secure(reply)
        .code(STATUS_OF.link_revoked)
        .header('x-error-code', 'link_revoked')
        .send(page('Link revoked', '<h1>This join link was revoked</h1><p>Ask the organiser of the webinar.</p>'));
    if (state.status === 'unknown') return notFoundPage(reply);
    if (state.status !== 'approved')
      return secure(reply).send(
        page(state.title, `<h1>${escapeHtml(state.title)}</h1><p role="status">Your registration is not approved.</p>`),
      );
    // The browser client takes the link from its address (a fragment: never sent to a server).
    const join = `${WEB_APP_PATH}#/registrant/${encodeURIComponent(request.params.token)}`;
    const when =
      state.startsAt === null
        ? ''
        : `<p>Starts <time datetime="${escapeHtml(state.startsAt)}">${escapeHtml(
            new Date(state.startsAt).toUTCString().replace(/:\d\d GMT$/, ' UTC'),
          )}</time></p>`;
    return secure(reply).send(
      page(
        state.title,
        `<h1>${escapeHtml(state.title)}</h1>${when}<p role="status">${
          state.live ? 'The webinar is live.' : 'The webinar starts soon: you wait in its lobby until it is live.'
        }</p><p>Your place is confirmed: this link lets you in.</p><p><a class="button" href="${escapeHtml(
          join,
        )}">Join in this browser</a></p>`,
      ),
    );
  });
}
