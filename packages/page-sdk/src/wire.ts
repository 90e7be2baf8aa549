export { PAGE_DOC, PAGE_FRAME, type PageFieldEdit } from '@tandem/shared/page-wire';
