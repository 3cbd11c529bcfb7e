import { describe, expect, it } from 'vitest';
import { withPixel } from '#functions/sending/compose';

const px = '<img src="p">';

describe('withPixel', () => {
  it('goes just before the last </body>, whatever its case', () => {
    expect(withPixel('<body>a</body></html>', px)).toBe(`<body>a${px}</body></html>`);
    expect(withPixel('<BODY>a</BODY></HTML>', px)).toBe(`<BODY>a${px}</BODY></HTML>`);
    expect(withPixel('<p>"</body>" quoted</p></body>x</Body>', px)).toBe(
      `<p>"</body>" quoted</p></body>x${px}</Body>`,
    );
    expect(withPixel('<p></body></p></BODY>', px)).toBe(`<p></body></p>${px}</BODY>`);
  });

  it('goes at the end when there is no </body>', () => {
    expect(withPixel('<p>fragment</p>', px)).toBe(`<p>fragment</p>${px}`);
  });
});
